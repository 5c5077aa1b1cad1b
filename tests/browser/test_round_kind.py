"""Choosing the kind of a new round fills its name and dates from the campaign."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_year_end_review_fills_its_name_and_dates(phone, org, office_user):
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    log_in(phone, office_user.username, PASSWORD)
    phone.goto(reverse("evaluations:round_create", args=[campaign.pk]))
    expect(phone.get_by_label("Tên đợt")).to_have_value("Sơ kết giữa năm 2025")
    expect(phone.get_by_label("Từ ngày")).to_have_value("16/06/2025")

    phone.get_by_label("Loại đợt").select_option(label="Tổng kết cuối năm")
    expect(phone.get_by_label("Tên đợt")).to_have_value("Tổng kết cuối năm 2025")
    expect(phone.get_by_label("Từ ngày")).to_have_value("17/11/2025")
    expect(phone.get_by_label("Đến ngày")).to_have_value("19/12/2025")

    # A name the user typed stays; the dates still follow the kind.
    phone.get_by_label("Tên đợt").fill("Tổng kết năm 2025 tại các tổ dân phố")
    phone.get_by_label("Loại đợt").select_option(label="Sơ kết giữa năm")
    expect(phone.get_by_label("Tên đợt")).to_have_value("Tổng kết năm 2025 tại các tổ dân phố")
    expect(phone.get_by_label("Đến ngày")).to_have_value("11/07/2025")

    phone.get_by_label("Loại đợt").select_option(label="Tổng kết cuối năm")
    phone.get_by_label("Tên đợt").fill("Tổng kết cuối năm 2025")
    phone.get_by_role("button", name="Tạo đợt").click()
    expect(phone.get_by_text("Đã tạo đợt “Tổng kết cuối năm 2025”")).to_be_visible()
    round = campaign.evaluation_rounds.get()
    assert (round.kind, str(round.starts_on), str(round.ends_on)) == (
        "year_end",
        "2025-11-17",
        "2025-12-19",
    )
