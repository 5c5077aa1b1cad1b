"""A token reads its organisation's data and nothing else: another organisation's
objects are 404s on every detail endpoint and absent from every list."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = {
    "campaigns": "api:campaigns",
    "registrations": "api:registrations",
    "rounds": "api:rounds",
    "nominations": "api:nominations",
    "decisions": "api:decisions",
    "awards": "api:awards",
}
DETAILS = {
    "campaigns": "api:campaign",
    "registrations": "api:registration",
    "rounds": "api:round",
    "nominations": "api:nomination",
    "decisions": "api:decision",
    "awards": "api:award",
}


def listed_ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_token_lists_its_organisations_objects_and_never_anothers(
    token_for, api_client, world, other_world
):
    _token, plain = token_for(world.organization)
    client = api_client(plain)
    for kind, name in LISTS.items():
        assert listed_ids(client, reverse(name)) == world.ids(kind), kind
    assert listed_ids(client, reverse("api:organizations")) == {world.organization.pk}
    results = reverse("api:round_results", args=[world.rounds[0].pk])
    assert listed_ids(client, results) == world.ids("inspections")


def test_a_token_reads_each_of_its_organisations_objects(token_for, api_client, world):
    _token, plain = token_for(world.organization)
    client = api_client(plain)
    for kind, name in DETAILS.items():
        for obj in getattr(world, kind):
            response = client.get(reverse(name, args=[obj.pk]))
            assert response.status_code == 200, (kind, response.content)
            assert response.json()["id"] == obj.pk
    response = client.get(reverse("api:organization", args=[world.organization.pk]))
    assert response.status_code == 200


def test_another_organisations_objects_are_404_on_every_detail_endpoint(
    token_for, api_client, world, other_world
):
    _token, plain = token_for(world.organization)
    client = api_client(plain)
    urls = [
        reverse(name, args=[obj.pk])
        for kind, name in DETAILS.items()
        for obj in getattr(other_world, kind)
    ]
    urls += [
        reverse("api:organization", args=[other_world.organization.pk]),
        reverse("api:round_results", args=[other_world.rounds[0].pk]),
        reverse("api:campaign_plan_file", args=[other_world.campaigns[0].pk, "pdf"]),
        reverse("api:decision_file", args=[other_world.decisions[0].pk, "docx"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found", url


def test_filters_naming_another_organisations_rows_find_nothing(
    token_for, api_client, world, other_world
):
    _token, plain = token_for(world.organization)
    client = api_client(plain)
    other = other_world.registrations[0]
    url = reverse("api:registrations")
    assert listed_ids(client, f"{url}?campaign={other.campaign_id}") == set()
    assert listed_ids(client, f"{url}?unit={other.unit_id}") == set()
    assert listed_ids(client, f"{url}?field={other.field_id}") == set()


def test_a_draft_campaign_and_a_draft_registration_are_not_published(token_for, api_client, world):
    from tests.factories import CampaignFactory, RegistrationFactory

    draft_campaign = CampaignFactory(organization=world.organization, status="draft")
    draft = RegistrationFactory(campaign=world.campaigns[0], unit=world.units[0], status="draft")
    _token, plain = token_for(world.organization)
    client = api_client(plain)
    assert draft_campaign.pk not in listed_ids(client, reverse("api:campaigns"))
    assert draft.pk not in listed_ids(client, reverse("api:registrations"))
    assert client.get(reverse("api:campaign", args=[draft_campaign.pk])).status_code == 404
    assert client.get(reverse("api:registration", args=[draft.pk])).status_code == 404


def test_an_open_rounds_results_are_not_published_yet(token_for, api_client, world):
    round = world.rounds[0]
    round.status = "open"
    round.save(update_fields=["status"])
    _token, plain = token_for(world.organization)
    response = api_client(plain).get(reverse("api:round_results", args=[round.pk]))
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_organization_ids_is_the_tokens_scope(token_for, world):
    token, _plain = token_for(world.organization)
    assert token.organization_ids() == frozenset({world.organization.pk})
