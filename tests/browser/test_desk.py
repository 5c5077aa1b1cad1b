import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardDecision, Vote
from campaigns.models import Campaign
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory, MeetingFactory, NominationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A day under decree 152/2025 and the base salary of decree 161/2026 (2,530,000 đồng).
@time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_the_chairman_follows_his_inbox_to_the_desk_on_a_phone_and_approves_two_nominations(
    browser, live_server, org, unit, other_unit, chairman
):
    campaign = CampaignFactory(
        organization=org, year=timezone.localdate().year, status=Campaign.Status.ISSUED
    )
    meeting = MeetingFactory(campaign=campaign, held_on=timezone.localdate())
    nominations = [
        NominationFactory(campaign=campaign, unit=unit, status="passed"),
        NominationFactory(
            campaign=campaign,
            unit=other_unit,
            kind="individual",
            person_name="Nguyễn Thị Hồng",
            status="passed",
        ),
    ]
    for nomination in nominations:
        Vote.objects.create(meeting=meeting, nomination=nomination, votes_in_favour=9)

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    log_in(page, chairman.username, PASSWORD)
    page.goto("/")
    inbox_item = page.get_by_role("link", name=re.compile("chờ phê duyệt"))
    expect(inbox_item).to_contain_text("2")
    assert fits_the_screen(page)
    inbox_item.click()

    # The desk: grouped by meeting, with the form, the amount and the vote; no sideways scroll.
    expect(page.get_by_role("heading", name="Họp Hội đồng ngày 02/12/2026")).to_be_visible()
    expect(page.get_by_text("9/10 phiếu đồng ý").first).to_be_visible()
    # A collective's Giấy khen 0.6 × 2,530,000 → 1,520,000; a person's 0.3 × → 760,000.
    expect(page.get_by_test_id("total")).to_have_text("2.280.000 đ")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Phê duyệt", exact=True).click()

    expect(page.get_by_test_id("confirm-total")).to_have_text("2.280.000 đ")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Xác nhận và ban hành quyết định").click()

    done = page.get_by_test_id("desk-decision")
    expect(done).to_contain_text("Đã ban hành Quyết định số")
    assert fits_the_screen(page)
    page.get_by_role("link", name="Xem quyết định").click()
    decision = AwardDecision.objects.get()
    expect(page).to_have_url(re.compile(f"/awards/decisions/{decision.pk}/$"))
    expect(page.get_by_text("Nguyễn Thị Hồng").first).to_be_visible()
    context.close()
    assert decision.awards.count() == 2
    assert decision.total_vnd == 2_280_000
