"""After the deadline, a unit officer on a phone asks the office for more time; the
office grants it, and the officer registers the model."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign
from models_registry.models import LateException, LateRequest
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_asks_for_more_time_on_a_phone_and_registers_once_the_office_grants_it(
    browser, live_server, org, unit, unit_officer, office_user
):
    today = timezone.localdate()
    # An extension reaches no later than the year-end review: held on the year's last
    # day here, so that the week asked for fits whatever the day the test runs.
    last_day = date(today.year, 12, 31)
    wished = min(today + timedelta(days=7), last_day)
    campaign = CampaignFactory(
        organization=org,
        year=today.year,
        status=Campaign.Status.ISSUED,
        registration_opens=today - timedelta(days=30),
        registration_deadline=today - timedelta(days=2),
        year_end_review_starts=last_day,
        year_end_review_ends=last_day,
    )
    officer_context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    officer = officer_context.new_page()
    log_in(officer, unit_officer.username, PASSWORD)
    officer.goto("/registrations/")
    expect(officer.get_by_role("link", name="Đăng ký mô hình")).to_have_count(0)
    officer.get_by_role("link", name=f"Hết hạn đăng ký ({today.year}) — Đề nghị gia hạn").click()
    officer.get_by_label("Lý do đề nghị gia hạn").fill("Tổ vừa bầu lại tổ trưởng.")
    officer.get_by_label("Xin được gửi đến hết ngày").fill(wished.strftime("%d/%m/%Y"))
    assert fits_the_screen(officer)
    officer.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    expect(officer.get_by_text("Đã gửi đề nghị gia hạn")).to_be_visible()
    late_request = LateRequest.objects.get()
    assert late_request.status == LateRequest.Status.PENDING
    assert late_request.wished_until == wished

    office_context = browser.new_context(base_url=live_server.url)
    desk = office_context.new_page()
    log_in(desk, office_user.username, PASSWORD)
    desk.goto("/")
    desk.get_by_role("link", name="Đơn vị đề nghị gia hạn đăng ký, chờ trả lời").click()
    pending = desk.get_by_test_id("late-requests-pending")
    expect(pending.get_by_text("Tổ vừa bầu lại tổ trưởng.")).to_be_visible()
    expect(pending.get_by_label("Cho gửi đến hết ngày")).to_have_value(wished.strftime("%d/%m/%Y"))
    pending.get_by_role("button", name="Cho gia hạn", exact=True).click()
    expect(desk.get_by_test_id("late-requests-decided")).to_contain_text(unit.name)
    office_context.close()

    assert LateException.objects.get(campaign=campaign, unit=unit).expires_on == wished
    officer.goto("/notifications/")
    expect(officer.get_by_text(wished.strftime("%d/%m/%Y")).first).to_be_visible()
    officer.goto("/registrations/")
    expect(officer.get_by_role("link", name="Đăng ký mô hình").first).to_be_visible()
    assert fits_the_screen(officer)
    officer_context.close()
