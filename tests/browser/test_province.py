"""A proposal travels: the commune sends it, the province returns it, the commune fixes
and resends it, the province accepts and decides, and the commune sees the decision."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import Escalation
from province.models import Proposal
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory, NominationFactory, award_form
from tests.province.conftest import attach, make_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposal_goes_up_comes_back_goes_up_again_and_the_commune_sees_the_decision(
    browser, live_server, org, unit, office_user
):
    from danvan.accounts.models import Membership
    from tests.factories import member

    province = make_province()
    attach(province, org, valid_from=date(2025, 7, 1))
    province_office = member(province, Membership.Role.PROVINCE_OFFICE, full_name="Trương Thị Thu")
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    nomination = NominationFactory(
        campaign=campaign,
        unit=unit,
        status="escalated",
        award_form=award_form("bang-khen-chu-tich-tinh"),
    )
    Escalation.objects.create(
        nomination=nomination, organization=org, sent_to="UBND tỉnh", sent_on=date(2025, 12, 1)
    )

    # Chị Lan sends the escalated nomination to the province from its page.
    commune = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = commune.new_page()
    log_in(page, office_user.username, PASSWORD)
    page.goto(f"/awards/nominations/{nomination.pk}/")
    page.get_by_label("Nội dung tờ trình").fill("Kính đề nghị UBND tỉnh tặng Bằng khen.")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Gửi lên cấp tỉnh").click()
    expect(page.locator("#proposal-status")).to_have_text("Đã gửi, chờ tỉnh xem xét")
    proposal = Proposal.objects.get()

    # The province's office returns it: the minutes are missing.
    province_desk = browser.new_context(base_url=live_server.url)
    desk = province_desk.new_page()
    log_in(desk, province_office.username, PASSWORD)
    desk.goto("/province/proposals/")
    desk.get_by_role("link", name=re.compile(unit.name)).click()
    desk.locator("form", has=desk.get_by_role("button", name="Trả lại để bổ sung")).get_by_label(
        "Lý do"
    ).fill("Thiếu biên bản họp Hội đồng.")
    desk.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(desk.locator("#proposal-status")).to_have_text("Tỉnh trả lại để bổ sung")

    # Chị Lan sees why, completes the submission and sends it again.
    page.goto(f"/province/proposals/{proposal.pk}/")
    expect(page.locator("#proposal-reason")).to_contain_text("Thiếu biên bản họp Hội đồng.")
    page.get_by_label("Nội dung tờ trình").fill("Đã bổ sung biên bản họp Hội đồng ngày 15/12.")
    page.get_by_role("button", name="Gửi lại cấp tỉnh").click()
    expect(page.locator("#proposal-status")).to_have_text("Đã gửi, chờ tỉnh xem xét")

    # The province accepts it and records its decision.
    desk.reload()
    expect(desk.get_by_text("Đã bổ sung biên bản họp Hội đồng ngày 15/12.")).to_be_visible()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(desk.locator("#proposal-status")).to_have_text("Tỉnh đã tiếp nhận")
    desk.get_by_label("Số quyết định").fill("2150/QĐ-UBND")
    desk.get_by_label("Ngày quyết định").fill(timezone.localdate().isoformat())
    desk.get_by_role("button", name="Ghi quyết định").click()
    expect(desk.locator("#proposal-status")).to_have_text("Tỉnh đã quyết định khen thưởng")
    desk.wait_for_load_state("networkidle")
    province_desk.close()

    # The commune sees the decision on its nomination.
    page.goto(f"/awards/nominations/{nomination.pk}/")
    expect(page.locator("#province-proposal")).to_contain_text("2150/QĐ-UBND")
    page.wait_for_load_state("networkidle")
    commune.close()
    escalation = Escalation.objects.get()
    assert escalation.status == Escalation.Status.APPROVED
    assert "2150/QĐ-UBND" in escalation.outcome_note
