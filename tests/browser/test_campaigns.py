import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from campaigns.demo import enter_plan_2024
from campaigns.models import Campaign
from tests.browser.conftest import fits_the_screen, log_in
from tests.documents.text import docx_lines
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_clones_the_2024_plan_edits_a_point_and_a_vice_chairman_issues_it(
    browser, live_server, org, office_user, chairman, vice_chairman
):
    org.header_name = "ỦY BAN NHÂN DÂN\nPHƯỜNG PHỔ MINH"
    org.save()
    enter_plan_2024(organization=org, office=office_user, chairman=chairman)

    # Chị Lan, at her desk.
    desk = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, office_user.username, PASSWORD)
    page.get_by_role("link", name="Phong trào", exact=True).click()
    page.get_by_role("link", name=re.compile("năm 2024")).click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nhân bản sang năm sau").click()
    expect(page.get_by_text("Đã nhân bản sang năm 2025")).to_be_visible()
    expect(page.get_by_label("Tên phong trào")).to_have_value(
        "Phong trào thi đua “Dân vận khéo” năm 2025"
    )
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("link", name="Soạn kế hoạch").click()
    point = page.locator("li", has_text="Mô hình Dân vận khéo năm 2025:").first
    point.get_by_role("link", name="Sửa").first.click()
    page.get_by_label("Nội dung").fill(
        "Thực hiện “Mô hình chính quyền thân thiện, vì Nhân dân phục vụ” năm 2025."
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Mô hình chính quyền thân thiện, vì Nhân dân phục vụ")).to_be_visible()
    desk.close()

    # Bà Hoa, on her phone, signs in the chairman's absence.
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = phone.new_page()
    log_in(page, vice_chairman.username, PASSWORD)
    page.goto("/campaigns/")
    page.get_by_role("link", name=re.compile("năm 2025")).click()
    page.get_by_role("link", name="Ký ban hành").click()
    expect(page.get_by_text("KT. CHỦ TỊCH").first).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_role("button", name="Ký và ban hành").click()
    expect(page.get_by_text(re.compile(r"Đã ký ban hành kế hoạch số \d+/KH-UBND"))).to_be_visible()
    expect(page.get_by_test_id("phase")).not_to_have_text("Đang soạn kế hoạch")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải DOCX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    text = " ".join(docx_lines(Path(download.path()).read_bytes()))
    assert "Mô hình chính quyền thân thiện, vì Nhân dân phục vụ" in text
    assert "KT. CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH" in text
    assert vice_chairman.full_name in text
    phone.close()

    clone = Campaign.objects.get(year=2025)
    assert clone.status == Campaign.Status.ISSUED
    assert clone.issued_document.issued_by == vice_chairman
