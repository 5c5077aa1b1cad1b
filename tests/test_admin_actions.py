"""Back-office actions posted with selected rows that are no row identifiers (a garbled
or forged form) are refused with a message; they never fail in the database."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from models_registry.models import Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
HOSTILE = ["abc", "1.5", "\x00", "=1+1", "9" * 30, "-" + "9" * 30]


def actions_of_every_admin(request_factory, user):
    request = request_factory.get("/")
    request.user = user
    request.organization = None
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            meta = model._meta
            yield reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), name


@pytest.mark.parametrize("value", HOSTILE)
def test_an_action_on_a_forged_selection_is_refused_with_a_message(login, office_user, org, value):
    registration = RegistrationFactory(campaign__organization=org, status="submitted")
    client = login(office_user)
    url = reverse("admin:models_registry_registration_changelist")
    response = client.post(
        url, {"action": "delete_selected", "index": "0", ACTION_CHECKBOX_NAME: [value]}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Các dòng đã chọn không hợp lệ" in page.text
    assert Registration.objects.filter(pk=registration.pk, status="submitted").exists()


def test_no_action_of_any_back_office_list_fails_on_a_forged_selection(login, superuser, rf):
    client = login(superuser)
    checked = 0
    for url, action in actions_of_every_admin(rf, superuser):
        for value in HOSTILE:
            response = client.post(
                url, {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [value]}
            )
            assert response.status_code < 500, (url, action, value)
            checked += 1
    assert checked >= 10 * len(HOSTILE)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_rows_checkbox_is_djangos_markup_written_directly(org, language):
    from django.utils import translation

    registration = RegistrationFactory(campaign__organization=org, name='Tổ "An" & <Hòa>')
    model_admin = admin.site._registry[Registration]
    with translation.override(language):
        ours = model_admin.action_checkbox(registration)
        djangos = admin.ModelAdmin.action_checkbox(model_admin, registration)
    assert ours == djangos
    assert "&lt;Hòa&gt;" in ours
