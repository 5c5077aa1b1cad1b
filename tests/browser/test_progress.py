"""The progress page and the review report on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import fits_the_screen, log_in
from tests.factories import PASSWORD, member
from tests.reports.conftest import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chairman_reads_the_progress_and_the_office_drafts_the_report_on_a_phone(
    phone, browser, live_server, org, office_user, chairman
):
    evaluator = member(org, "evaluator", full_name="Phạm Thị Mai")
    world = build_year(org, office_user, chairman, evaluator, n=3)
    log_in(phone, office_user.username, PASSWORD)
    phone.goto(reverse("campaigns:detail", args=[world.campaign.pk]))
    phone.get_by_role("link", name="Tiến độ tổng hợp và báo cáo sơ kết, tổng kết").click()
    expect(phone.get_by_role("heading", name="Tiến độ tổng hợp")).to_be_visible()
    expect(phone.get_by_role("img", name="Mô hình đã gửi theo đơn vị")).to_be_visible()
    expect(phone.get_by_role("table", name="Số mô hình đã gửi theo đơn vị")).to_be_visible()
    assert fits_the_screen(phone)

    phone.get_by_role("button", name="Lập báo cáo Tổng kết").click()
    expect(phone.get_by_role("heading", name="Dự thảo báo cáo")).to_be_visible()
    phone.get_by_label("Hạn chế, nguyên nhân").fill("Một số đơn vị gửi đăng ký chậm.")
    phone.get_by_role("button", name="Lưu dự thảo").click()
    expect(phone.get_by_text("Đã lưu dự thảo báo cáo.")).to_be_visible()
    assert fits_the_screen(phone)
