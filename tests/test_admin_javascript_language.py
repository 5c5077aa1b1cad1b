"""The admin's JavaScript (calendar, time picker, two-box selectors, action bar) speaks
Vietnamese: every message Django's admin scripts can show is translated in the catalogue
the admin serves, with the project's ``locale/vi/LC_MESSAGES/djangojs.po`` supplying
what Django's Vietnamese catalogue lacks."""

import json
import re
from pathlib import Path

import django
import polib
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ADMIN_SCRIPTS = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"


def served_catalogue(client) -> dict:
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\});\n", response.text, re.S)
    assert found, "the admin's script catalogue holds no messages"
    return json.loads(found.group(1))


def english_left(catalogue: dict) -> list[str]:
    left = []
    for entry in polib.pofile(str(ADMIN_SCRIPTS)):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        value = catalogue.get(key)
        texts = value if isinstance(value, list) else [value]
        if not value or any(not text or text == entry.msgid for text in texts):
            left.append(key)
    return left


def test_every_message_of_the_admin_scripts_reads_in_vietnamese(login, office_user):
    catalogue = served_catalogue(login(office_user))
    assert english_left(catalogue) == []
    assert catalogue["Today (%(date)s)"] == "Hôm nay (%(date)s)"
    assert catalogue["abbrev. day Monday\x04Mon"] == "T2"


def test_the_check_finds_a_message_left_in_english(login, office_user):
    catalogue = served_catalogue(login(office_user))
    catalogue["Choose all %s"] = "Choose all %s"
    del catalogue["Sunday"]
    assert english_left(catalogue) == ["Choose all %s", "Sunday"]


def test_the_admin_scripts_speak_english_to_an_english_reader(login, office_user):
    client = login(office_user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "django.gettext" in response.text  # the admin's catalogue script itself
    for vietnamese in ("Hôm nay", "Thứ hai", "Chọn tất cả"):
        assert vietnamese not in response.text
