"""The portal under load: unit officers editing and submitting, evaluators scoring,
office staff reviewing, chairmen approving, and the bare baseline view.

Run by ``loadtest/run.sh`` (see docs/performance.md) against gunicorn on the loopback,
on a database filled by ``manage.py seed_scale``. The accounts are the seeded ones:
``scale-<LOAD_TAG>-<n>-<role>``, password ``LOAD_PASSWORD``, n from 1 to LOAD_ORGS.
"""

import itertools
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

TAG = os.environ.get("LOAD_TAG", "")
ORGS = int(os.environ.get("LOAD_ORGS", "10"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "scale@2024")
_numbers = itertools.count()


class FormFields(HTMLParser):
    """The named inputs, text areas and selects of every form of a page, with their
    current values, as a browser would send them (one list per form)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.inside = False
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = True
            self.forms.append([])
        if not self.inside:
            return
        fields = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._selected, self._first = name, None, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attrs.get("value", "")
            if "selected" in attrs:
                self._selected = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "textarea" and self._textarea:
            self.forms[-1].append((self._textarea, self._text))
            self._textarea = None
        elif tag == "select" and self._select:
            value = self._selected if self._selected is not None else self._first
            self.forms[-1].append((self._select, value or ""))
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, having: str) -> list[tuple[str, str]]:
    """The fields of the first form of the page that has a field named ``having``."""
    parser = FormFields()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == having or name.startswith(having) for name, _value in fields):
            return fields
    return []


def csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        n = next(_numbers) % ORGS + 1
        self.username = f"scale-{TAG}-{n}-{self.role}"
        page = self.client.get("/accounts/login/", name="login page")
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf(page.text),
            },
            name="login",
            headers={"Referer": self.host + "/accounts/login/"},
        )
        if "/accounts/login/" in response.url:
            raise RuntimeError(f"{self.username} could not sign in")

    def post(self, url, data, name):
        return self.client.post(url, data, name=name, headers={"Referer": self.host + url})


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


class UnitOfficer(PortalUser):
    """Edits a draft and submits it (the seeded late exception keeps the window open)."""

    weight = 15
    role = "unit1"

    def on_start(self):
        self.role = f"unit{random.randint(1, 5)}"
        super().on_start()

    @task(3)
    def edit_and_submit(self):
        listing = self.client.get("/registrations/?status=draft", name="unit: my drafts")
        drafts = links(listing.text, r'href="/registrations/(\d+)/"')
        if not drafts:
            self.client.get("/registrations/", name="unit: registrations")
            return
        pk = random.choice(drafts)
        edit = self.client.get(f"/registrations/{pk}/edit/", name="unit: edit form")
        if "/edit/" not in edit.url:
            return  # submitted by a colleague meanwhile
        fields = [
            (k, v + " Bổ sung chỉ tiêu đo lường." if k == "success_measures" else v)
            for k, v in form_fields(edit.text, "success_measures")
        ]
        if not fields:
            return
        self.post(f"/registrations/{pk}/edit/", fields, "unit: save edit")
        detail = self.client.get(f"/registrations/{pk}/", name="unit: registration page")
        self.post(
            f"/registrations/{pk}/to/submitted/",
            {"csrfmiddlewaretoken": csrf(detail.text)},
            "unit: submit",
        )

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Evaluator(PortalUser):
    """Scores a model of the open round on the worklist."""

    weight = 15

    def on_start(self):
        self.role = f"evaluator{random.randint(1, 5)}"
        super().on_start()

    @task
    def score(self):
        worklist = self.client.get("/evaluations/", name="evaluator: worklist")
        sheets = links(worklist.text, r'href="/evaluations/assignments/(\d+)/score/"')
        if not sheets:
            return
        pk = random.choice(sheets)
        form = self.client.get(
            f"/evaluations/assignments/{pk}/score/", name="evaluator: score form"
        )
        fields = [
            (k, str(random.randint(12, 20) / 2) if k.startswith("points_") else v)
            for k, v in form_fields(form.text, "points_")
        ]
        if not any(k.startswith("points_") for k, _v in fields):
            return
        self.post(f"/evaluations/assignments/{pk}/score/", fields, "evaluator: save scores")


class Office(PortalUser):
    """Reviews the queue: filters and searches, opens a model, accepts it."""

    weight = 12
    role = "office"

    @task(3)
    def review(self):
        queue = self.client.get(
            "/registrations/?status=submitted", name="office: review queue (submitted)"
        )
        self.client.get("/registrations/?q=dich+vu+cong&page=2", name="office: queue search")
        submitted = links(queue.text, r'href="/registrations/(\d+)/"')
        if not submitted:
            return
        pk = random.choice(submitted)
        detail = self.client.get(f"/registrations/{pk}/", name="office: registration page")
        if f"/registrations/{pk}/to/accepted/" in detail.text:
            self.post(
                f"/registrations/{pk}/to/accepted/",
                {"csrfmiddlewaretoken": csrf(detail.text)},
                "office: accept",
            )

    @task(1)
    def back_office(self):
        self.client.get("/admin/models_registry/registration/", name="office: admin registrations")


class Chairman(PortalUser):
    """Opens the approval desk and approves two passed nominations in one decision."""

    weight = 3
    role = "chairman"

    @task
    def approve(self):
        url = "/admin/awards/nomination/"
        desk = self.client.get(f"{url}?status__exact=passed", name="chairman: approval desk")
        passed = links(desk.text, r'name="_selected_action" value="(\d+)"')[:2]
        if not passed:
            return
        token = csrf(desk.text)
        data = [("action", "approve_nominations"), ("csrfmiddlewaretoken", token)]
        data += [("_selected_action", pk) for pk in passed]
        confirm = self.post(url, data, "chairman: confirmation")
        fields = form_fields(confirm.text, "post")
        if ("post", "yes") not in fields:
            return
        self.post(url, fields, "chairman: approve (issue decision)")


class BareView(PortalUser):
    """The baseline on the same server: 25 rows, one indexed query, no template."""

    weight = 5
    role = "viewer"

    @task
    def bare(self):
        self.client.get("/__benchmark__/bare/", name="bare view")
