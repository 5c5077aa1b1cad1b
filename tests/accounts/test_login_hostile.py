"""Whatever is typed into the sign-in form, it answers with a message, never an error."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "password"),
    [("a" * 300, "x"), ("tên", "x" * 5000), ("Dài " * 2000, "Dài " * 2000), ("=cmd\x07", "")],
)
def test_signing_in_with_hostile_text_gets_a_message_and_no_server_error(username, password):
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
