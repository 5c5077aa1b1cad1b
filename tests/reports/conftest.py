"""A campaign's year built through the services: models registered and decided, a
year-end round scored, nominations approved in a decision."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from awards import services as awards_services
from danvan.accounts.models import Unit
from evaluations import selectors as evaluation_selectors
from evaluations import services as evaluation_services
from evaluations.models import Round
from models_registry.models import Field, Registration
from tests.evaluations.factories import open_round, points_totalling, score
from tests.factories import (
    CampaignFactory,
    NominationFactory,
    RegistrationFactory,
    UnitFactory,
    complete_plan,
    member,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DECIDED = datetime(2025, 12, 19, 14, 20, 37, tzinfo=HANOI)


@dataclass
class Year:
    campaign: object
    units: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    round: Round | None = None
    decision: object = None


def build_year(org, office, chairman, evaluator, *, n: int, year: int = 2025, **campaign_fields):
    """``n`` accepted models (one per unit, alternating the fields economy and culture),
    plus one draft and one submitted model; a year-end round where each model is scored
    (totals 95, 75, 55, … from the evaluator); and ``n`` awards in one decision: units as
    collectives, and from the second on alternately a person and a household."""
    campaign = CampaignFactory(organization=org, year=year, status="issued", **campaign_fields)
    complete_plan(campaign)
    fields = {f.code: f for f in Field.objects.filter(organization=org)}
    world = Year(campaign)
    for index in range(n):
        name = f"Tổ dân phố số {index + 1}"
        unit = Unit.objects.filter(organization=org, name=name).first() or UnitFactory(
            organization=org, name=name
        )
        world.units.append(unit)
        world.registrations.append(
            RegistrationFactory(
                campaign=campaign,
                unit=unit,
                status=Registration.Status.ACCEPTED,
                field=fields["economy" if index % 2 == 0 else "culture_society"],
            )
        )
    RegistrationFactory(campaign=campaign, unit=world.units[0], status="draft")
    RegistrationFactory(
        campaign=campaign, unit=world.units[0], status="submitted", field=fields["defence_security"]
    )
    evaluation_services.rubric_seed_default(actor=office, campaign=campaign)
    criteria = evaluation_selectors.criteria_of(campaign.pk)
    world.round = open_round(office, campaign, kind=Round.Kind.YEAR_END)
    for index, registration in enumerate(world.registrations):
        inspection = world.round.inspections.get(registration=registration)
        assignment = evaluation_services.assignment_create(
            actor=office, inspection=inspection, evaluator=evaluator
        )
        score(assignment, points_totalling(criteria, max(95 - 20 * index, 10)))
    nominations = []
    for index, unit in enumerate(world.units):
        if index == 0 or index % 2 == 1:
            nominations.append(NominationFactory(campaign=campaign, unit=unit, status="passed"))
        if index >= 1:
            kind = "individual" if index % 2 == 1 else "household"
            nominations.append(
                NominationFactory(
                    campaign=campaign,
                    unit=unit,
                    kind=kind,
                    person_name=f"Nguyễn Văn {chr(65 + index)}",
                    status="passed",
                )
            )
    nominations = nominations[:n]
    world.decision = awards_services.decision_issue(
        actor=chairman,
        nominations=nominations,
        decided_on=DECIDED.replace(year=year).date(),
        signed_at=DECIDED.replace(year=year),
    )
    return world


@pytest.fixture
def office_evaluator(org):
    """An evaluator of no unit, free to score every model."""
    return member(org, "evaluator", full_name="Phạm Thị Mai")
