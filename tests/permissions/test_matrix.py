"""Every URL of the portal, the back office's included, requested as each kind of person,
compared with the table of what each must get (``expected.py``); every state-changing
URL also tried by those who must not use it, with the database checked unchanged."""

import os
import pprint
import re

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.urls import reverse

from tests.permissions.expected import EXPECTED, POST_ONLY
from tests.permissions.world import (
    Objects,
    clients,
    finished,
    state,
    state_query,
    url_patterns,
)

pytestmark = pytest.mark.django_db


def outcome(response) -> str:
    """200, 403, 404, 405 …; L for a redirect to a login page, R for another redirect."""
    if response.status_code in (301, 302, 303):
        location = response["Location"].split("?")[0]
        if location in (resolve_url(settings.LOGIN_URL), reverse("admin:login")):
            return "L"
        return "R"
    return str(response.status_code)


def _url(pattern, kwargs) -> str:
    if pattern.pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    route = pattern.route
    for param, value in kwargs.items():
        route = re.sub(rf"<(?:\w+:)?{param}>|\(\?P<{param}>[^)]*\)", str(value), route)
    return "/" + route.removesuffix("$")


@pytest.fixture
def world(demo):
    return Objects()


def test_every_url_answers_each_role_as_the_table_says_and_viewing_writes_nothing(world):
    patterns = url_patterns()
    users = clients()
    query = state_query()
    observed, writes = {}, []
    for pattern in patterns:
        kwargs = world.kwargs(pattern)
        url = _url(pattern, kwargs)
        codes = []
        before = state(query)
        for role, client in users.items():
            response = finished(client.get(url))
            codes.append(outcome(response))
            assert connection.is_usable(), f"GET {url} as {role} closed the connection"
            after = state(query)
            if after != before:
                writes.append(f"GET {url} as {role}")
            before = after  # what one request left is what the next one starts from
        observed[pattern.name] = " ".join(codes)
    if os.environ.get("PERMISSION_MATRIX_DUMP"):
        with open(os.environ["PERMISSION_MATRIX_DUMP"], "w") as handle:
            handle.write(pprint.pformat(observed, width=100, sort_dicts=True))
    unlisted = sorted(set(observed) - set(EXPECTED))
    assert not unlisted, f"URL patterns missing from the expected table: {unlisted}"
    stale = sorted(set(EXPECTED) - set(observed))
    assert not stale, f"the expected table names URL patterns that no longer exist: {stale}"
    differences = {
        name: {"expected": EXPECTED[name], "got": got}
        for name, got in observed.items()
        if EXPECTED[name] != got
    }
    assert not differences, pprint.pformat(differences, width=100)
    assert not writes, writes
    checks = sum(len(codes.split()) for codes in observed.values())
    assert checks >= 8 * 300


def test_state_changing_urls_change_nothing_for_those_who_must_not_use_them(world):
    """POST to every URL as each role that may not use it — neither its page (200) nor,
    for an action, the table of POST_ONLY lets it — and check that the database did not
    change. The admin's URLs get its bulk delete of the ward's object too."""
    patterns = url_patterns()
    users = clients()
    query = state_query()
    roles = list(users)
    changed, tried = [], 0
    for pattern in patterns:
        kwargs = world.kwargs(pattern)
        url = _url(pattern, kwargs)
        codes = dict(zip(roles, EXPECTED[pattern.name].split(), strict=True))
        allowed = {role for role, code in codes.items() if code == "200"}
        allowed |= POST_ONLY.get(pattern.name, set())
        payload = {**PAYLOAD, "_selected_action": world.admin_object_id(pattern)}
        before = state(query)
        for role, client in users.items():
            if role in allowed:
                continue
            finished(client.post(url, payload))
            tried += 1
            after = state(query)
            if after != before:
                changed.append(f"POST {url} as {role}")
            before = after  # what one request left is what the next one starts from
    assert not changed, changed
    assert tried >= 300 * 5


# What a careless or hostile POST carries: a reason, a version, a confirmation, and the
# admin's bulk delete.
PAYLOAD = {
    "reason": "Thử quyền",
    "version": "1",
    "post": "yes",
    "confirm": "1",
    "action": "delete_selected",
}
