"""No English is left on the back-office pages the office and the chairman use.

Every message of Django's admin (and the form messages it shows) is looked for, in
English, in the text a user reads on those pages (text, button labels, titles, labels for
screen readers); the project's catalogue supplies what Django's Vietnamese one lacks
(``danvan/django_strings.py``)."""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
import time_machine
from django.urls import reverse

from awards.models import Vote
from tests.factories import NominationFactory

pytestmark = pytest.mark.django_db
DJANGO = Path(django.__file__).parent
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[sd]|\{[^}]*\}")


def english_messages() -> set[str]:
    """Django's admin messages and form messages, as phrases a page could show: each
    message cut at its placeholders, keeping the pieces with a word of 3 letters or more."""
    catalogues = [
        DJANGO / "contrib/admin/locale/vi/LC_MESSAGES/django.po",
        DJANGO / "forms/locale/vi/LC_MESSAGES/django.po",
        DJANGO / "conf/locale/vi/LC_MESSAGES/django.po",
    ]
    phrases = set()
    for catalogue in catalogues:
        if not catalogue.exists():
            continue
        for entry in polib.pofile(str(catalogue)):
            for text in (entry.msgid, entry.msgid_plural):
                for piece in PLACEHOLDER.split(text or ""):
                    piece = (piece or "").strip(" .:,;“”\"'()-")
                    # Whole phrases, or the admin's one-word labels (Save, Filter, Home…).
                    if " " in piece or (
                        "admin" in str(catalogue) and re.fullmatch(r"[A-Z][a-z]{2,}", piece)
                    ):
                        phrases.add(piece)
    return phrases


class _Reader(HTMLParser):
    """The text a user reads (or hears) on a page."""

    SKIP = {"script", "style", "template"}
    SPOKEN = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        values = dict(attrs)
        self.parts.extend(values[name] for name in self.SPOKEN if values.get(name))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def english_left(html: str, phrases: set[str]) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    text = " ".join(" ".join(reader.parts).split())
    return sorted(
        phrase for phrase in phrases if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)
    )


@pytest.fixture
def phrases():
    return english_messages()


def test_the_checker_finds_an_english_admin_message(phrases):
    html = "<p>Xin chào</p><input type='submit' value='Save and continue editing'>"
    assert "Save and continue editing" in english_left(html, phrases)
    assert english_left("<p>Lưu và tiếp tục sửa</p>", phrases) == []


def pages(voted):
    nomination = voted[0]
    return [
        ("get", reverse("admin:index"), None),
        ("get", reverse("admin:awards_nomination_changelist"), None),
        ("get", reverse("admin:awards_nomination_changelist") + "?status__exact=passed", None),
        ("get", reverse("admin:awards_nomination_change", args=[nomination.pk]), None),
        ("get", reverse("admin:awards_awarddecision_changelist"), None),
        ("get", reverse("admin:awards_councilmeeting_changelist"), None),
        ("get", reverse("admin:models_registry_registration_changelist"), None),
    ]


@pytest.fixture
def voted(passed, meeting):
    for nomination in passed:
        Vote.objects.create(meeting=meeting, nomination=nomination, votes_in_favour=8)
    NominationFactory(campaign=passed[0].campaign)  # one still proposed
    return passed


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_no_english_admin_message_on_the_pages_the_office_uses(login, voted, office_user, phrases):
    client = login(office_user)
    left = {}
    for _method, url, _data in pages(voted):
        response = client.get(url)
        assert response.status_code == 200, url
        found = english_left(response.content.decode(), phrases)
        if found:
            left[url] = found
    assert left == {}


@time_machine.travel(date(2024, 12, 20), tick=False)
def test_no_english_admin_message_on_the_pages_the_chairman_uses(login, voted, chairman, phrases):
    client = login(chairman)
    desk = reverse("admin:awards_nomination_desk")
    chosen = {"nominations": [n.pk for n in voted], "decided_on": "2024-12-20", "do": "approve"}
    responses = {url: client.get(url) for _m, url, _d in pages(voted)}
    responses[desk] = client.get(desk)
    responses[desk + " (confirm)"] = client.post(desk, chosen)
    responses[desk + " (error)"] = client.post(desk, {"do": "reject"})
    changelist = reverse("admin:awards_nomination_changelist")
    responses[changelist + " (approve)"] = client.post(
        changelist,
        {"action": "approve_nominations", "_selected_action": [n.pk for n in voted]},
    )
    responses[changelist + " (nothing chosen)"] = client.post(
        changelist, {"action": "approve_nominations"}, follow=True
    )
    decision = client.post(desk, chosen | {"confirm": "yes"}, follow=True)
    responses[desk + " (decided)"] = decision
    left = {}
    for url, response in responses.items():
        assert response.status_code == 200, url
        found = english_left(response.content.decode(), phrases)
        if found:
            left[url] = found
    assert left == {}
