"""Fuzzing: every form a person can reach — the portal's pages and the back office's —
posted with generated hostile values (formulas, control characters, very long text,
Unicode edge cases, HTML, odd numbers and dates, odd files). The portal may refuse them;
it must never answer with a server error."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.permissions.expected import EXPECTED
from tests.permissions.test_matrix import _url
from tests.permissions.world import (
    ROLES,
    Objects,
    clients,
    finished,
    url_patterns,
)

pytestmark = pytest.mark.django_db

# Forms that end the session or change who is signed in are left alone: they would only
# stop the rest of the run.
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/logout/", "/accounts/organization/")
SUBMITTED = {"count": 0}

FORMULAS = st.sampled_from(
    ['=HYPERLINK("http://x.example","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), min_size=1)
UNICODE = st.sampled_from(
    [
        "Tiếng Việt có dấu",
        "Tie\u0302\u0301ng Vie\u0323\u0302t",  # decomposed accents
        "\u202eđảo chiều\u202c",
        "\u200b\u200d\ufeff",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀👍🏽",
        "ＡＢＣ１２３",
        "١٢٣٤",
        "\ud7ff\ue000\uffff",
    ]
)
HTML = st.sampled_from(
    ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% now %}"]
)
LONG = st.integers(min_value=300, max_value=20000).map(lambda n: "Dài " * n)
TEXT = st.one_of(FORMULAS, CONTROL, UNICODE, HTML, LONG, st.text(max_size=80), st.just(""))
NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1e309", "NaN", "-0", "1.000.000", "1,5", "２０", "١٢", "0x1F", " 7 "]),
    TEXT,
)
DATE = st.one_of(
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "2024-02-30", "31/12/2024", "29/02/2023", "hôm nay", ""]
    ),
    st.dates().map(lambda d: d.isoformat()),
    TEXT,
)
FILE_BODIES = st.sampled_from(
    [
        b"",
        b"%PDF-1.4 truncated",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"PK\x03\x04 not a zip",
        b"<html><script>1</script></html>",
    ]
)
FILE_NAMES = st.sampled_from(
    ["bien-ban.pdf", "ảnh.jpg", "a" * 250 + ".docx", "../../etc/passwd", "=cmd.xlsx", ".pdf"]
)


class Forms(HTMLParser):
    """The POST forms of a page: action, and each control's name, type, value, options."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea") and attrs.get("name"):
            kind = attrs.get("type", "text") if tag == "input" else "textarea"
            self._form["fields"].append(
                {"name": attrs["name"], "type": kind, "value": attrs.get("value", "")}
            )
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "type": "select", "options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def value_for(field, draw):
    kind = field["type"]
    if kind in ("hidden", "submit"):
        # The CSRF token, versions and formset counts: kept, sometimes mangled.
        return draw(st.one_of(st.just(field["value"]), TEXT)) if kind == "hidden" else None
    if kind == "file":
        return SimpleUploadedFile(draw(FILE_NAMES), draw(FILE_BODIES))
    if kind == "select":
        options = [option for option in field["options"] if option] or [""]
        return draw(st.one_of(st.sampled_from(options), TEXT, st.just("999999")))
    if kind in ("checkbox", "radio"):
        return draw(st.sampled_from([field["value"] or "on", "", "khác"]))
    if kind == "number":
        return draw(NUMBER)
    if kind in ("date", "datetime-local", "time"):
        return draw(DATE)
    if kind == "password":
        return draw(TEXT)
    return draw(st.one_of(TEXT, NUMBER, DATE)) if field["name"].endswith("_on") else draw(TEXT)


def pages_of(role: str, world: Objects) -> list[str]:
    """Every page the table gives ``role`` (a 200), with the objects of the world."""
    column = list(ROLES).index(role)
    urls = []
    for pattern in url_patterns():
        if EXPECTED[pattern.name].split()[column] != "200":
            continue
        urls.append(_url(pattern, world.kwargs(pattern)))
    return urls


def forms_of(client, urls: list[str]) -> list[tuple[str, list]]:
    found = []
    for url in urls:
        response = finished(client.get(url))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            if action.startswith(SKIPPED_ACTIONS) or not form["fields"]:
                continue
            found.append((action, form["fields"]))
    return found


def fuzz(client, forms, draw, errors: list) -> None:
    for action, fields in forms:
        data = {}
        for field in fields:
            value = value_for(field, draw)
            if value is not None:
                data[field["name"]] = value
        try:
            response = finished(client.post(action, data))
        except Exception as error:  # noqa: BLE001 (any server error is what we look for)
            errors.append(f"{action}: {type(error).__name__}: {error}"[:300])
            continue
        SUBMITTED["count"] += 1
        if response.status_code >= 500:
            errors.append(f"{action}: {response.status_code}")


FUZZ = settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(demo):
    return Objects()


@pytest.mark.parametrize("role", ["office", "officer", "evaluator", "chairman"])
def test_no_form_answers_a_server_error_whatever_is_posted(world, role):
    client = clients()[role]
    forms = forms_of(client, pages_of(role, world))
    assert len(forms) >= 5
    errors = []

    @FUZZ
    @given(st.data())
    def run(data):
        fuzz(client, forms, data.draw, errors)

    before = SUBMITTED["count"]
    run()
    submitted = SUBMITTED["count"] - before
    print(f"{role}: {len(forms)} forms, {submitted} fuzzed submissions")  # noqa: T201
    assert not errors, errors
    assert submitted >= len(forms)
