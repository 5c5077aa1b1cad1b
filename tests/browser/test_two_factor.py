import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardDecision
from campaigns.models import Campaign
from tests.browser.conftest import PHONE, fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory, NominationFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_chairman_enrols_at_first_sign_in_then_signs_in_with_a_code_and_approves(
    browser, live_server, org, unit, chairman, require_2fa
):
    campaign = CampaignFactory(
        organization=org, year=timezone.localdate().year, status=Campaign.Status.ISSUED
    )
    NominationFactory(campaign=campaign, unit=unit, status="passed")
    errors = []

    # First sign-in, on his phone: the password, then the authenticator app is set up.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = phone.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, chairman.username, PASSWORD)
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.locator(".otp-qr svg")).to_be_visible()
    assert fits_the_screen(page)
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(totp_code(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_text("Đã bật xác thực hai bước.")).to_be_visible()
    expect(page.get_by_test_id("backup-codes").locator("code")).to_have_count(10)
    expect(page.get_by_role("button", name="In")).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_role("link", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/$"))
    phone.close()

    # Next sign-in, at his desk: the password, then a code (the next one: the code that
    # set the app up cannot be used twice).
    desk = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = desk.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/admin/awards/nomination/")
    page.get_by_label("Tên đăng nhập").fill(chairman.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Nhập mã xác thực")).to_be_visible()
    page.get_by_label("Mã xác thực").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Xác nhận").click()

    # Back where he was going: the approval desk of the back office.
    expect(page).to_have_url(re.compile(r"/admin/awards/nomination/$"))
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option("approve_nominations")
    page.get_by_role("button", name=re.compile("Run|Thực hiện")).click()
    page.get_by_role("button", name="Phê duyệt và ban hành quyết định").click()
    expect(page.get_by_role("link", name=re.compile(r"\d+.QĐ-UBND"))).to_be_visible()
    desk.close()

    assert AwardDecision.objects.get().signer == chairman
    assert not errors, errors
