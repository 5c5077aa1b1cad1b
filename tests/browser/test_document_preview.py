"""The document preview on a phone: the national header wraps instead of scrolling."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory, complete_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plan_preview_wraps_the_national_header_on_a_phone(phone, org, chairman):
    campaign = complete_plan(CampaignFactory(organization=org, year=2025))
    log_in(phone, chairman.username, PASSWORD)
    phone.goto(reverse("campaigns:issue", args=[campaign.pk]))
    country = phone.locator(".document-preview .od-country")
    expect(country).to_have_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    preview = phone.locator(".document-preview")
    assert preview.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert fits_the_screen(phone)
    # The issuer stands above the national title, not beside it.
    issuer = phone.locator(".document-preview .od-issuer").first.bounding_box()
    title = country.bounding_box()
    assert issuer["y"] + issuer["height"] <= title["y"]
