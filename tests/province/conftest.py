"""A province above communes, with each commune's year built directly from factories:
registrations in every state, a closed year-end round with ratings, and an award
decision."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import Award, AwardDecision, Escalation
from danvan.accounts.models import Membership, Organization
from danvan.documents.models import DocumentKind
from evaluations.models import RatingBand, Round, Rubric
from province import services
from province.models import CommuneMembership
from tests.documents.factories import IssuedDocumentFactory
from tests.evaluations.factories import RoundFactory, scored
from tests.factories import (
    CampaignFactory,
    NominationFactory,
    OrganizationFactory,
    RegistrationFactory,
    UnitFactory,
    UserFactory,
    award_form,
    member,
)

Role = Membership.Role
YEAR = 2025
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_province(name: str = "Ủy ban nhân dân tỉnh Quảng Ngãi") -> Organization:
    return OrganizationFactory(
        name=name,
        kind=Organization.Kind.PROVINCE,
        header_name="ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI",
        place_name="Quảng Ngãi",
    )


def attach(province, commune, valid_from=date(2025, 7, 1), **fields) -> CommuneMembership:
    return CommuneMembership.objects.create(
        province=province, commune=commune, valid_from=valid_from, **fields
    )


def commune_year(province, *, year: int = YEAR, launched: bool = True, reported: bool = True):
    """A commune under ``province`` with a year of the movement: 4 registrations (one
    draft, one submitted, one accepted, one recognised), a closed year-end round rating
    the recognised one "Xuất sắc" and the accepted one "Khá", and one award of 710.000 đ."""
    commune = OrganizationFactory()
    attach(province, commune)
    if not launched:
        return commune
    campaign = CampaignFactory(organization=commune, year=year, status="issued")
    unit = UnitFactory(organization=commune)
    for status in ("draft", "submitted"):
        RegistrationFactory(campaign=campaign, unit=unit, status=status)
    accepted = RegistrationFactory(campaign=campaign, unit=unit, status="accepted")
    recognised = RegistrationFactory(campaign=campaign, unit=unit, status="recognised")
    if reported:
        rubric = Rubric.objects.create(campaign=campaign, organization=commune)
        for name, floor in (("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Đạt", 50)):
            RatingBand.objects.create(rubric=rubric, name=name, min_score=Decimal(floor))
        round = RoundFactory(campaign=campaign, kind=Round.Kind.YEAR_END, status="closed")
        evaluator = UserFactory()
        for registration, score in ((recognised, 9500), (accepted, 7000)):
            scored(round, registration, evaluator, score)
    nomination = NominationFactory(campaign=campaign, unit=unit, status="approved")
    document = IssuedDocumentFactory(
        organization=commune, kind=DocumentKind.DECISION, year=year, symbol="QĐ-UBND"
    )
    decision = AwardDecision.objects.create(
        organization=commune,
        campaign=campaign,
        issued_document=document,
        decided_on=date(year, 12, 20),
        signer=UserFactory(),
        base_salary_vnd=2_340_000,
        total_vnd=710_000,
    )
    Award.objects.create(
        decision=decision,
        organization=commune,
        nomination=nomination,
        award_form=nomination.award_form,
        recipient_name=unit.name,
        recipient_kind="collective",
        multiplier=Decimal("0.3"),
        amount_vnd=710_000,
    )
    return commune


@pytest.fixture
def province(db):
    return make_province()


@pytest.fixture
def other_province(db):
    return make_province("Ủy ban nhân dân tỉnh Gia Lai")


@pytest.fixture
def province_office(province):
    return member(province, Role.PROVINCE_OFFICE, full_name="Trương Thị Thu")


@pytest.fixture
def province_viewer(province):
    return member(province, Role.PROVINCE_VIEWER, full_name="Phan Văn Sơn")


@pytest.fixture
def other_province_office(other_province):
    return member(other_province, Role.PROVINCE_OFFICE, full_name="Lâm Văn Gia")


@pytest.fixture
def escalated(org, unit):
    """A passed nomination of ``org``'s unit for the province's Bằng khen, sent up."""
    campaign = CampaignFactory(organization=org, year=YEAR, status="issued")
    nomination = NominationFactory(
        campaign=campaign,
        unit=unit,
        status="escalated",
        award_form=award_form("bang-khen-chu-tich-tinh"),
    )
    return Escalation.objects.create(
        nomination=nomination,
        organization=org,
        sent_to="UBND tỉnh Quảng Ngãi",
        sent_on=date(YEAR, 12, 1),
    )


@pytest.fixture
def under_province(org, province):
    attach(province, org, valid_from=date(2025, 7, 1))
    return org


@pytest.fixture
def sent(
    under_province, escalated, office_user, province_office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        return services.proposal_send(
            actor=office_user,
            escalation=escalated,
            cover_note="Đề nghị tặng Bằng khen.",
            submission=SimpleUploadedFile("to-trinh.pdf", PDF, "application/pdf"),
        )
