import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from campaigns.models import Campaign
from models_registry.models import Registration
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo(path) -> str:
    Image.new("RGB", (640, 480), (30, 120, 200)).save(path, format="JPEG")
    return str(path)


def test_a_unit_registers_on_a_phone_the_office_returns_it_the_unit_resubmits_and_it_is_accepted(
    browser, live_server, org, unit, unit_officer, office_user, tmp_path
):
    today = timezone.localdate()
    CampaignFactory(
        organization=org,
        year=today.year,
        status=Campaign.Status.ISSUED,
        name=f"Phong trào thi đua “Dân vận khéo” năm {today.year}",
        registration_opens=today - timedelta(days=5),
        registration_deadline=today + timedelta(days=12),
    )

    # Anh Hùng, on his phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = phone.new_page()
    log_in(page, unit_officer.username, PASSWORD)
    page.goto("/registrations/")
    page.get_by_role("link", name="Đăng ký mô hình — còn 12 ngày").click()
    page.get_by_label("Tên mô hình").fill(
        "Mô hình hướng dẫn công dân sử dụng dịch vụ công trực tuyến"
    )
    page.get_by_label("Lĩnh vực").select_option(label="Xây dựng hệ thống chính trị")
    page.get_by_label("Thực trạng, lý do xây dựng mô hình").fill(
        "Người dân chưa quen nộp hồ sơ trực tuyến."
    )
    page.get_by_label("Mục tiêu").fill("Tăng tỷ lệ hồ sơ trực tuyến.")
    page.get_by_label("Cách đo lường kết quả").fill("Theo dõi hằng tháng.")
    page.get_by_label("Nội dung, phương pháp thực hiện").fill(
        "Đoàn viên hướng dẫn trực tiếp tại Bộ phận một cửa."
    )
    page.get_by_label("Địa bàn thực hiện").fill("Bộ phận một cửa phường")
    page.get_by_label("Đối tượng thụ hưởng").fill("Người dân đến làm thủ tục")
    page.locator("#id_person_in_charge").fill("Trần Văn Hùng")
    page.get_by_label("Kinh phí (đồng)").fill("5000000")
    page.get_by_label("Ngày bắt đầu").fill(today.isoformat())
    page.get_by_label("Thời điểm đánh giá").fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("Kết quả dự kiến").fill("Người dân tự nộp hồ sơ.")
    page.get_by_label("Tính bền vững, khả năng nhân rộng").fill("Duy trì thường xuyên.")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text(re.compile(r"Đã lưu bản nháp DVK-\d{4}-001"))).to_be_visible()

    page.get_by_label("Ảnh, tệp minh chứng").set_input_files(
        [photo(tmp_path / "anh-1.jpg"), photo(tmp_path / "anh-2.jpg")]
    )
    page.get_by_role("button", name="Đính kèm").click()
    expect(page.get_by_text("Đã đính kèm 2 tệp.")).to_be_visible()
    expect(page.locator("img.evidence-thumb")).to_have_count(2)
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()
    assert fits_the_screen(page)

    # Chị Lan returns it.
    desk = browser.new_context(base_url=live_server.url)
    office = desk.new_page()
    log_in(office, office_user.username, PASSWORD)
    office.goto("/registrations/")
    office.get_by_role("link", name=re.compile("dịch vụ công trực tuyến")).click()
    office.get_by_role("button", name="Trả lại để bổ sung").click()
    office.locator("#action-returned").get_by_label("Lý do").fill(
        "Cần chỉ tiêu đo được theo tháng."
    )
    office.locator("#action-returned").get_by_role("button", name="Trả lại để bổ sung").click()
    expect(office.get_by_text("Cần chỉ tiêu đo được theo tháng.").first).to_be_visible()

    # Anh Hùng fixes and resubmits.
    page.reload()
    expect(page.get_by_text("Cần chỉ tiêu đo được theo tháng.").first).to_be_visible()
    page.get_by_role("link", name="Sửa", exact=True).click()
    page.get_by_label("Cách đo lường kết quả").fill("Tỷ lệ hồ sơ trực tuyến đạt 60% vào tháng 12.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()

    # Chị Lan accepts.
    office.reload()
    office.get_by_role("button", name="Chấp nhận", exact=True).click()
    expect(office.get_by_text("Đã chấp nhận").first).to_be_visible()

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.success_measures == "Tỷ lệ hồ sơ trực tuyến đạt 60% vào tháng 12."
    assert registration.evidence.count() == 2
    phone.close()
    desk.close()
