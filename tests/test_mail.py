"""A mail server that is down never undoes a step or fails the page that took it."""

import logging

import pytest
from django.urls import reverse

from models_registry.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_accepting_a_registration_with_the_mail_server_down_still_accepts_it_and_logs(
    settings,
    login,
    org,
    unit,
    unit_officer,
    office_user,
    caplog,
    django_capture_on_commit_callbacks,
):
    # A mail server that refuses connections (nothing listens on port 9 here).
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    registration = RegistrationFactory(
        campaign=CampaignFactory(organization=org, status="issued"),
        unit=unit,
        status=Registration.Status.SUBMITTED,
    )
    url = reverse("models_registry:transition", args=[registration.pk, "accepted"])
    with (
        caplog.at_level(logging.ERROR, logger="danvan.mail"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = login(office_user).post(url, {"version": registration.version})
    assert response.status_code == 302
    assert callbacks, "the unit's e-mail goes out after commit"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    assert any("could not be sent" in record.getMessage() for record in caplog.records)
