from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from models_registry import services
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

BUTTON = "Đăng ký mô hình — còn"


@pytest.fixture
def closed_window(org):
    """An issued campaign of this year whose registration closed ten days ago, in May:
    long before its year-end review, the latest an extension may reach."""
    with time_machine.travel(date(2026, 5, 20), tick=False):
        today = timezone.localdate()
        yield CampaignFactory(
            organization=org,
            year=today.year,
            status="issued",
            registration_opens=today - timedelta(days=40),
            registration_deadline=today - timedelta(days=10),
        )


def test_a_unit_with_a_late_exception_sees_the_register_button_while_it_lasts(
    closed_window, unit, unit_officer, other_unit_officer, office_user, login
):
    page = reverse("models_registry:list")
    assert BUTTON not in login(unit_officer).get(page).content.decode()
    services.late_exception_grant(
        actor=office_user,
        campaign=closed_window,
        unit=unit,
        expires_on=timezone.localdate() + timedelta(days=3),
        reason="Đơn vị mới thành lập",
    )
    html = login(unit_officer).get(page).content.decode()
    assert "Đăng ký mô hình — còn 3 ngày" in html
    assert f"?campaign={closed_window.pk}" in html
    # Another unit of the organisation has no exception and no button.
    assert BUTTON not in login(other_unit_officer).get(page).content.decode()


def test_an_expired_exception_shows_no_button(
    closed_window, unit, unit_officer, office_user, login
):
    from models_registry.models import LateException

    LateException.objects.create(
        campaign=closed_window,
        unit=unit,
        expires_on=timezone.localdate() - timedelta(days=1),
        granted_by=office_user,
    )
    html = login(unit_officer).get(reverse("models_registry:list")).content.decode()
    assert BUTTON not in html
