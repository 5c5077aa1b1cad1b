import pytest

from campaigns.demo import seed_campaigns
from danvan.accounts.demo import PHO_MINH, seed_directory
from danvan.accounts.models import Organization, Unit, User
from evaluations import selectors
from evaluations.demo import seed_evaluations
from evaluations.models import Assignment, Round
from evaluations.services import has_conflict
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_2024():
    seed_directory("thu-nghiem-1")
    organization = Organization.objects.get(code=PHO_MINH["code"])
    campaign = seed_campaigns(organization)
    for short_name in ("MTTQ", "HPN", "ĐTN", "VH-XH", "TP-HT", "CA"):
        RegistrationFactory(
            campaign=campaign,
            unit=Unit.objects.get(organization=organization, short_name=short_name),
            status="accepted",
            name=f"Mô hình của {short_name}",
        )
    return campaign


def test_the_demo_has_a_closed_scored_mid_year_round_and_an_open_year_end_round(campaign_2024):
    rows = seed_evaluations(campaign_2024, password="thu-nghiem-1")
    assert [username for _org, _role, username in rows] == ["phominh.kiemtra2", "phominh.kiemtra3"]

    mid_year = Round.objects.get(campaign=campaign_2024, kind=Round.Kind.MID_YEAR)
    year_end = Round.objects.get(campaign=campaign_2024, kind=Round.Kind.YEAR_END)
    assert mid_year.status == Round.Status.CLOSED
    assert year_end.status == Round.Status.OPEN
    mid_assignments = Assignment.objects.filter(inspection__round=mid_year)
    assert mid_assignments.count() >= 2 * 6
    assert not mid_assignments.filter(scored_at=None).exists()
    for inspection in mid_year.inspections.prefetch_related("assignments"):
        assert 2 <= inspection.assignments.count() <= 3
    year_end_assignments = Assignment.objects.filter(inspection__round=year_end)
    assert year_end_assignments.filter(scored_at=None).exists()
    assert year_end_assignments.exclude(scored_at=None).exists()
    for assignment in Assignment.objects.select_related("evaluator", "inspection__registration"):
        assert not has_conflict(assignment.evaluator, assignment.inspection.registration)
    bands = selectors.bands_of(campaign_2024.pk)
    assert sum(selectors.rating_counts(round=mid_year, bands=bands).values()) == 6
    assert User.objects.get(username="phominh.kiemtra2").check_password("thu-nghiem-1")
    assert User.objects.get(username="phominh.kiemtra3").full_name == "Trần Thị Thu Hà"


def test_seeding_the_demo_again_changes_nothing_but_resets_the_passwords(campaign_2024):
    seed_evaluations(campaign_2024)
    counts = (Round.objects.count(), Assignment.objects.count())
    seed_evaluations(campaign_2024, password="mat-khau-moi")
    assert (Round.objects.count(), Assignment.objects.count()) == counts
    assert User.objects.get(username="phominh.kiemtra3").check_password("mat-khau-moi")
