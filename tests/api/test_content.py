"""What the endpoints say: the plan's metadata, the answers a campaign's form asks,
results, awards and the links to their files."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.documents.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(token_for, api_client, world):
    _token, plain = token_for(world.organization)
    return api_client(plain)


def test_a_campaign_gives_its_plan_metadata_parts_and_form(client, world):
    campaign = world.campaigns[0]
    body = client.get(reverse("api:campaign", args=[campaign.pk])).json()
    plan = body["plan"]
    assert plan["number_symbol"] == campaign.issued_document.number_symbol
    assert plan["subject"] == campaign.plan_subject
    assert plan["issue_date"] == campaign.plan_issue_date.isoformat()
    assert [f["format"] for f in plan["files"]] == ["pdf", "docx"]
    assert plan["files"][0]["url"].endswith(
        reverse("api:campaign_plan_file", args=[campaign.pk, "pdf"])
    )
    assert plan["files"][0]["portal_url"].endswith(
        reverse("campaigns:plan_download", args=[campaign.pk, "pdf"])
    )
    assert body["legal_bases"][0]["number"] == "44/KH-UBND"
    assert len(body["sections"][0]["items"]) == 2
    questions = {q["key"]: q for q in body["questions"]}
    assert questions["households"]["added"] is True
    assert questions["households"]["label"] == "Số hộ tham gia"
    assert questions["area"]["shown"] is False


def test_a_registration_gives_the_answers_its_campaigns_form_asks(client, world):
    registration = world.registrations[0]
    body = client.get(reverse("api:registration", args=[registration.pk])).json()
    answers = {answer["key"]: answer for answer in body["answers"]}
    assert answers["households"] == {
        "key": "households",
        "label": "Số hộ tham gia",
        "kind": "number",
        "added": True,
        "text": "120",
    }
    assert "Hội Nông dân" in answers["partners"]["text"]
    assert "01/06/2025" in answers["milestones"]["text"]
    # The form hides the area: its answer is kept, apart.
    assert "area" not in answers
    assert [answer["key"] for answer in body["kept_answers"]] == ["area"]
    assert body["field"]["id"] == registration.field_id
    assert body["unit"] == {"id": registration.unit_id, "name": registration.unit.name}


def test_a_closed_rounds_results_give_the_mean_of_the_scores(client, world):
    round = world.rounds[0]
    rows = client.get(reverse("api:round_results", args=[round.pk])).json()["results"]
    assert len(rows) == 1
    assert rows[0]["registration"]["id"] == world.registrations[0].pk
    assert rows[0]["scored"] == 1
    assert rows[0]["mean"] == 87.5
    assert rows[0]["rating"] is None  # the campaign has no rating bands


def test_a_decision_lists_its_awards_and_files_and_the_file_downloads(client, world):
    decision = world.decisions[0]
    body = client.get(reverse("api:decision", args=[decision.pk])).json()
    assert body["number_symbol"] == decision.issued_document.number_symbol
    assert body["total_vnd"] == 1_410_000
    assert [award["id"] for award in body["awards"]] == [world.awards[0].pk]
    assert body["awards"][0]["multiplier"] == 0.6
    assert body["files"][1]["portal_url"].endswith(
        reverse("awards:decision_download", args=[decision.pk, "docx"])
    )
    response = client.get(reverse("api:decision_file", args=[decision.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_nominations_escalation_is_shown(client, world):
    escalated = world.nominations[1]
    body = client.get(reverse("api:nomination", args=[escalated.pk])).json()
    assert body["status"] == "escalated"
    assert body["escalation"]["sent_to"] == "UBND tỉnh"
    assert body["report_url"] is None


def test_lists_filter_by_campaign_status_unit_field_and_date(client, world, org):
    more = build_more(org)
    url = reverse("api:registrations")

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    first, second = world.registrations[0], more.registrations[0]
    assert ids(campaign=first.campaign_id) == {first.pk}
    assert ids(unit=second.unit_id) == {second.pk}
    assert ids(status="submitted") == {second.pk}
    assert ids(field=first.field_id) == {first.pk, second.pk}
    today = timezone.localdate()
    assert ids(date_from=today.isoformat()) == {first.pk}
    assert ids(date_to=date(2025, 1, 31).isoformat()) == {second.pk}
    awards = reverse("api:awards")
    assert client.get(awards, {"status": "revoked"}).json()["results"] == []
    assert len(client.get(awards, {"status": "current"}).json()["results"]) == 1
    assert client.get(reverse("api:campaigns"), {"year": 1990}).json()["results"] == []


def build_more(org):
    """A second registration, submitted in January 2025 and still awaiting review."""
    from datetime import datetime

    from tests.api.conftest import World
    from tests.factories import RegistrationFactory

    world = World(org)
    submitted = timezone.make_aware(datetime(2025, 1, 20, 9, 0))
    world.registrations.append(
        RegistrationFactory(
            organization=org, campaign__organization=org, status="submitted", submitted_at=submitted
        )
    )
    return world


def test_cursor_pages_walk_every_row_once(token_for, api_client, org):
    from tests.api.conftest import build_world

    world = build_world(org, count=3)
    _token, plain = token_for(org)
    client = api_client(plain)
    seen, url = [], reverse("api:registrations") + "?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(world.ids("registrations"), reverse=True)
