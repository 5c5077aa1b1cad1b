"""A money box in a real browser: what is typed reaches the server as typed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign
from models_registry.models import Registration
from tests.browser.conftest import PHONE, log_in
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_twenty_million_typed_with_dots_is_stored_as_twenty_million(
    browser, live_server, org, unit, unit_officer
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
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    log_in(page, unit_officer.username, PASSWORD)
    page.goto("/registrations/")
    page.get_by_role("link", name="Đăng ký mô hình — còn 12 ngày").click()
    page.get_by_label("Tên mô hình").fill("Mô hình “Chung tay vì phố phường xanh”")
    budget = page.get_by_label("Kinh phí (đồng)")
    assert budget.get_attribute("type") == "text"
    assert budget.get_attribute("inputmode") == "numeric"

    # A malformed amount is refused in Vietnamese and stays as typed.
    budget.fill("2.0.0")
    page.get_by_label("Xã hội hóa (đồng)").fill("20,000,000")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Số tiền “2.0.0” không đúng cách ghi").first).to_be_visible()
    expect(page.get_by_text("Số tiền “20,000,000” có dấu phẩy").first).to_be_visible()
    expect(page.get_by_label("Kinh phí (đồng)")).to_have_value("2.0.0")
    assert not Registration.objects.exists()

    page.get_by_label("Lĩnh vực").select_option(label="Kinh tế")
    page.get_by_label("Thực trạng, lý do xây dựng mô hình").fill("Rác thải chưa được phân loại.")
    page.get_by_label("Mục tiêu").fill("Mọi hộ phân loại rác tại nguồn.")
    page.get_by_label("Cách đo lường kết quả").fill("Theo dõi hằng tháng.")
    page.get_by_label("Nội dung, phương pháp thực hiện").fill("Tổ tự quản vận động từng hộ.")
    page.get_by_label("Địa bàn thực hiện").fill("Tổ dân phố số 2")
    page.get_by_label("Đối tượng thụ hưởng").fill("Người dân trong tổ")
    page.locator("#id_person_in_charge").fill("Trần Văn Hùng")
    page.get_by_label("Ngày bắt đầu").fill(today.isoformat())
    page.get_by_label("Thời điểm đánh giá").fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("Kết quả dự kiến").fill("Phố sạch hơn.")
    page.get_by_label("Tính bền vững, khả năng nhân rộng").fill("Duy trì thường xuyên.")
    page.get_by_label("Kinh phí (đồng)").fill("20.000.000")
    page.get_by_label("Xã hội hóa (đồng)").fill("20000000")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp").first).to_be_visible()
    registration = Registration.objects.get()
    assert registration.budget_vnd == 20_000_000
    assert registration.contributions_vnd == 20_000_000
    context.close()
