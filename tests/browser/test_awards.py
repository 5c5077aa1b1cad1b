import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardDecision
from campaigns.models import Campaign
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.documents.text import docx_lines
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A day under decree 152/2025 and the base salary of decree 161/2026 (2,530,000 đồng).
@time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_a_unit_nominates_the_council_votes_the_chairman_approves_and_the_decision_lists_the_amounts(
    browser, live_server, org, unit, unit_officer, office_user, chairman
):
    year = timezone.localdate().year
    campaign = CampaignFactory(organization=org, year=year, status=Campaign.Status.ISSUED)

    # Anh Hùng nominates his unit from his phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = phone.new_page()
    log_in(page, unit_officer.username, PASSWORD)
    page.goto("/awards/")
    page.get_by_role("link", name=re.compile(f"Đề nghị khen thưởng năm {year}")).click()
    page.get_by_label("Đối tượng đề nghị").select_option(label="Tập thể")
    page.get_by_label("Đơn vị", exact=True).select_option(label=unit.name)
    page.get_by_label("Tóm tắt thành tích").fill("Vận động 85 hộ xây dựng tuyến đường hoa.")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_text("Đã gửi đề nghị khen thưởng.")).to_be_visible()
    phone.close()

    # Chị Lan records the council's meeting and the ballot.
    desk = browser.new_context(base_url=live_server.url)
    page = desk.new_page()
    log_in(page, office_user.username, PASSWORD)
    page.goto(f"/awards/campaigns/{campaign.pk}/meetings/new/")
    page.get_by_label("Địa điểm").fill("Hội trường UBND phường")
    page.get_by_label("Tổng số thành viên").fill("9")
    page.get_by_label("Số thành viên có mặt").fill("8")
    page.get_by_label("Chủ trì").fill(chairman.full_name)
    page.get_by_label("Thư ký").fill(office_user.full_name)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_label(unit.name).fill("7")
    page.get_by_role("button", name="Lưu kết quả bỏ phiếu").click()
    expect(page.get_by_text("Đạt", exact=True)).to_be_visible()
    desk.close()

    # Ông Bảo approves in the back office.
    desk = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = desk.new_page()
    log_in(page, chairman.username, PASSWORD)
    page.goto("/admin/awards/nomination/")
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option("approve_nominations")
    page.get_by_role("button", name=re.compile("Run|Thực hiện")).click()
    # A collective's Giấy khen: 0.6 × 2,530,000 = 1,518,000, rounded up to 1,520,000.
    expect(page.get_by_test_id("total")).to_have_text("1.520.000 đ")
    page.get_by_role("button", name="Phê duyệt và ban hành quyết định").click()
    page.get_by_role("link", name=re.compile(r"\d+.QĐ-UBND")).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải DOCX").click()
    text = " ".join(docx_lines(Path(download_info.value.path()).read_bytes()))
    desk.close()

    assert "QUYẾT ĐỊNH" in text
    assert unit.name in text
    assert "1.520.000" in text
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP" in text
    assert "TM. ỦY BAN NHÂN DÂN" not in text  # the chairman's own power
    assert AwardDecision.objects.get().total_vnd == 1_520_000
