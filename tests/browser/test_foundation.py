import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fits_the_screen, log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_officer_logs_in_on_a_phone_reads_vietnamese_switches_to_english_and_logs_out(
    phone, unit_officer, unit, office_user
):
    log_in(phone, unit_officer.username, PASSWORD)

    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone.get_by_role("heading", level=1)).to_have_text(unit.organization.name)
    expect(phone.get_by_text("Cán bộ đơn vị").first).to_be_visible()
    expect(phone.get_by_text("Không có việc nào đang chờ bạn.")).to_be_visible()
    assert fits_the_screen(phone)

    phone.get_by_role("link", name="Danh bạ đơn vị và cán bộ").click()
    expect(phone.get_by_text(unit.name, exact=True)).to_be_visible()
    expect(phone.get_by_text(office_user.full_name, exact=True)).to_be_visible()
    assert fits_the_screen(phone)
    phone.goto("/")

    phone.get_by_role("button", name=re.compile("^EN")).click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_text("Your role:")).to_be_visible()
    expect(phone.get_by_text("Unit officer").first).to_be_visible()

    phone.get_by_role("button", name="Open menu").click()
    phone.get_by_test_id("user-menu").click()
    phone.get_by_role("button", name="Log out").click()
    expect(phone).to_have_url(re.compile(r"/accounts/login/$"))
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    assert fits_the_screen(phone)
