"""On a phone, the office enters the model of a residential area that has no account,
through the Front's nine-question form."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign
from danvan.accounts.models import Unit
from models_registry import services
from models_registry.demo import FRONT_FORM
from models_registry.models import Partner, Registration
from models_registry.questions import questions_for
from tests.browser.conftest import fits_the_screen, log_in
from tests.factories import PASSWORD, CampaignFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_enters_a_residential_areas_model_with_the_nine_questions_on_a_phone(
    phone, org, unit, office_user
):
    today = timezone.localdate()
    campaign = CampaignFactory(
        organization=org,
        year=today.year,
        status=Campaign.Status.ISSUED,
        registration_opens=today - timedelta(days=3),
        registration_deadline=today + timedelta(days=20),
    )
    services.registration_form_save(
        actor=office_user, campaign=campaign, rows=FRONT_FORM, fingerprint=None
    )
    area = UnitFactory(
        organization=org, name="Thôn Tân Lộc", short_name="TL", kind=Unit.Kind.RESIDENTIAL
    )

    page = phone
    log_in(page, office_user.username, PASSWORD)
    page.goto("/registrations/")
    page.get_by_role("link", name=f"Nhập mô hình thay đơn vị ({today.year})").click()
    expect(page.get_by_text("Văn phòng nhập thay đơn vị không có tài khoản")).to_be_visible()
    page.locator('select[name="unit"]').select_option(label="Thôn Tân Lộc")
    for name, text in {
        "name": "Bữa cơm nghĩa tình cho người cao tuổi neo đơn",
        "situation": "Thôn có 14 người cao tuổi sống một mình.",
        "objectives": "Mỗi tuần hai bữa cơm ấm.",
        "content_methods": "Chi hội Phụ nữ vận động các hộ góp gạo, nấu và đưa cơm.",
        "beneficiaries": "14 người cao tuổi neo đơn thôn Tân Lộc.",
        "expected_outputs": "96 bữa cơm mỗi năm.",
        "sustainability": "Giao Chi hội Phụ nữ thôn duy trì.",
    }.items():
        page.locator(f'[name="{name}"]').fill(text)
    page.get_by_label("Thời gian, nguồn lực").fill("Cả năm; gạo do 60 hộ góp.")
    page.get_by_label("Số hộ tham gia").fill("60")
    page.get_by_label("Lĩnh vực").select_option(label="Văn hóa – xã hội")
    page.locator('select[name="partners-lead-0-unit"]').select_option(label="Thôn Tân Lộc")
    page.locator('select[name="partners-cooperate-0-unit"]').select_option(label=unit.name)
    page.locator('[name="partners-take_part-0-outside_name"]').fill("Các hộ trong thôn")
    assert fits_the_screen(page)
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_text("Văn phòng nhập thay").first).to_be_visible()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text("Đã gửi, chờ duyệt").first).to_be_visible()
    expect(page.get_by_text("Cả năm; gạo do 60 hộ góp.")).to_be_visible()
    assert fits_the_screen(page)

    registration = Registration.objects.get()
    assert registration.unit == area
    assert registration.on_behalf
    assert registration.created_by == office_user
    assert registration.status == Registration.Status.SUBMITTED
    keys = {question.label: question.key for question in questions_for(campaign)}
    assert registration.answers == {
        keys["Thời gian, nguồn lực"]: "Cả năm; gạo do 60 hộ góp.",
        keys["Số hộ tham gia"]: 60,
    }
    assert registration.field.name == "Văn hóa – xã hội"
    parts = {(partner.part, str(partner)) for partner in registration.partners.all()}
    assert parts == {
        (Partner.Part.LEAD, "Thôn Tân Lộc"),
        (Partner.Part.COOPERATE, unit.name),
        (Partner.Part.TAKE_PART, "Các hộ trong thôn"),
    }
