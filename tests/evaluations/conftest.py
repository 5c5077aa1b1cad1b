import pytest

from danvan.accounts.models import Membership
from evaluations import selectors, services
from tests.evaluations.factories import accepted, inspection_of, open_round
from tests.factories import CampaignFactory, UnitFactory, member

Role = Membership.Role


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, year=2025, status="issued", name="Phong trào 2025")


@pytest.fixture
def third_unit(org):
    return UnitFactory(organization=org, name="Công an phường", short_name="CA")


@pytest.fixture
def second_evaluator(org, third_unit):
    return member(org, Role.EVALUATOR, unit=third_unit, full_name="Nguyễn Văn Sơn")


@pytest.fixture
def registration(campaign, unit, unit_officer):
    """An accepted model of the MTTQ (unit_officer's unit), which the evaluator (HPN) may score."""
    return accepted(campaign, unit, name="Mô hình “Dân vận khéo” trong cải cách hành chính")


@pytest.fixture
def own_registration(campaign, other_unit):
    """An accepted model of the evaluator's own unit (HPN): a conflict of interest for them."""
    return accepted(campaign, other_unit, name="Mô hình phụ nữ giúp nhau phát triển kinh tế")


@pytest.fixture
def rubric(office_user, campaign):
    return services.rubric_seed_default(actor=office_user, campaign=campaign)


@pytest.fixture
def criteria(rubric, campaign):
    return selectors.criteria_of(campaign.pk)


@pytest.fixture
def round(office_user, campaign, registration, own_registration, rubric):
    """The open mid-year round of the campaign, both registrations in scope."""
    return open_round(office_user, campaign)


@pytest.fixture
def inspection(round, registration):
    return inspection_of(round, registration)


@pytest.fixture
def assignment(office_user, inspection, evaluator):
    return services.assignment_create(actor=office_user, inspection=inspection, evaluator=evaluator)


@pytest.fixture
def second_assignment(office_user, inspection, second_evaluator):
    return services.assignment_create(
        actor=office_user, inspection=inspection, evaluator=second_evaluator
    )
