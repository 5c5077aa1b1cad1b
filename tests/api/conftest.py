"""An organisation's data as the API reads it: campaigns with their plan, registrations,
a closed round with results, nominations, decisions and awards."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from api import services
from awards.models import Award, AwardDecision, Escalation
from danvan.accounts.models import Membership
from danvan.documents.models import DocumentKind
from evaluations.models import Round
from models_registry.models import FormQuestion, Milestone, Partner
from tests.documents.factories import IssuedDocumentFactory
from tests.evaluations.factories import scored
from tests.factories import (
    CampaignFactory,
    NominationFactory,
    RegistrationFactory,
    UnitFactory,
    award_form,
    complete_plan,
    member,
)

Role = Membership.Role


@dataclass
class World:
    """What ``build_world`` made, by kind, for the tests to name."""

    organization: object
    campaigns: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    nominations: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    awards: list = field(default_factory=list)
    units: list = field(default_factory=list)

    def ids(self, kind: str) -> set[int]:
        return {obj.pk for obj in getattr(self, kind)}


def build_world(organization, count: int = 1) -> World:
    """``count`` of every kind of object the API lists, in ``organization``."""
    world = World(organization)
    signer = member(organization, Role.CHAIRMAN)
    evaluator = member(organization, Role.EVALUATOR)
    for index in range(count):
        unit = UnitFactory(organization=organization)
        world.units.append(unit)
        plan = IssuedDocumentFactory(organization=organization, year=2025)
        campaign = CampaignFactory(
            organization=organization,
            status="issued",
            issued_document=plan,
            plan_number=plan.number,
            plan_issue_date=date(2025, 1, 10 + index),
        )
        complete_plan(campaign, sections=1, items=2)
        FormQuestion.objects.create(
            campaign=campaign, key="households", kind="number", label="Số hộ tham gia", position=5
        )
        FormQuestion.objects.create(
            campaign=campaign, key="area", kind="standard", shown=False, position=6
        )
        world.campaigns.append(campaign)
        registration = RegistrationFactory(
            campaign=campaign,
            unit=unit,
            status="accepted",
            submitted_at=timezone.now(),
            answers={"households": 120},
        )
        Partner.objects.create(
            registration=registration, outside_name="Hội Nông dân", role="Vận động"
        )
        Milestone.objects.create(
            registration=registration, due_on=date(2025, 6, 1), description="Sơ kết"
        )
        world.registrations.append(registration)
        round = Round.objects.create(
            organization=organization,
            campaign=campaign,
            kind="year_end",
            name=f"Tổng kết {index}",
            starts_on=date(2025, 11, 17),
            ends_on=date(2025, 12, 19),
            status="closed",
        )
        world.rounds.append(round)
        world.inspections.append(scored(round, registration, evaluator, 8750))
        nomination = NominationFactory(
            campaign=campaign, unit=unit, status="approved", registration=registration
        )
        world.nominations.append(nomination)
        escalated = NominationFactory(
            campaign=campaign,
            unit=unit,
            kind="individual",
            person_name=f"Nguyễn Văn {index}",
            status="escalated",
        )
        Escalation.objects.create(
            nomination=escalated,
            organization=organization,
            sent_to="UBND tỉnh",
            sent_on=date(2025, 12, 20),
            reference="12/TTr-UBND",
        )
        world.nominations.append(escalated)
        document = IssuedDocumentFactory(
            organization=organization, kind=DocumentKind.DECISION, symbol="QĐ-UBND", year=2025
        )
        decision = AwardDecision.objects.create(
            organization=organization,
            campaign=campaign,
            issued_document=document,
            decided_on=date(2025, 12, 22),
            signer=signer,
            base_salary_vnd=2_340_000,
            total_vnd=1_410_000,
        )
        world.decisions.append(decision)
        world.awards.append(
            Award.objects.create(
                decision=decision,
                organization=organization,
                nomination=nomination,
                award_form=award_form(),
                recipient_name=unit.name,
                recipient_kind="collective",
                multiplier=Decimal("0.60"),
                amount_vnd=1_410_000,
            )
        )
    return world


@pytest.fixture
def token_for(db):
    """``token_for(organization, rate=…)`` issues a token as that organisation's office
    staff and returns ``(token, plain)``."""

    def issue(organization, rate: int = 1000):
        office = member(organization, Role.OFFICE)
        return services.token_issue(
            actor=office, organization=organization, name="Hệ thống thử", rate_per_minute=rate
        )

    return issue


@pytest.fixture
def api_client():
    """``api_client(plain)``: a client that sends the token with every request."""

    def make(plain: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {plain}"})

    return make


@pytest.fixture
def world(org):
    return build_world(org)


@pytest.fixture
def other_world(other_org):
    return build_world(other_org)
