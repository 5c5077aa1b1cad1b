"""Every list costs the same number of queries for 1 row as for 3 (no N+1), and so do
the details whose parts are lists."""

import pytest
from django.urls import reverse

from evaluations.models import Assignment, Inspection
from tests.api.conftest import build_world
from tests.evaluations.factories import scored
from tests.factories import RegistrationFactory, UnitFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "api:campaigns",
    "api:registrations",
    "api:rounds",
    "api:nominations",
    "api:decisions",
    "api:awards",
]


def counts(queries_for, token_for, api_client, organization, rows: int, url_of) -> int:
    world = build_world(organization, count=rows)
    _token, plain = token_for(organization)
    return queries_for(api_client(plain), url_of(world))


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_for_one_and_three_rows(
    name, queries_for, token_for, api_client, org, other_org
):
    one = counts(queries_for, token_for, api_client, org, 1, lambda w: reverse(name))
    three = counts(queries_for, token_for, api_client, other_org, 3, lambda w: reverse(name))
    assert one == three
    assert one <= 4  # the token, then the rows (one query, or a few prefetches)


def test_a_rounds_results_cost_the_same_for_one_and_three_models(
    queries_for, token_for, api_client, org, other_org
):
    def url_of(world):
        # The first round's campaign gets a model of each other unit, scored in the round
        # (a round inspects only its own campaign's models).
        round = world.rounds[0]
        evaluator = Assignment.objects.filter(round=round).first().evaluator
        for unit in world.units[1:]:
            registration = RegistrationFactory(
                campaign=round.campaign, unit=unit, status="accepted"
            )
            scored(round, registration, evaluator, 8000)
        assert Inspection.objects.filter(round=round).count() == len(world.units)
        return reverse("api:round_results", args=[round.pk])

    one = counts(queries_for, token_for, api_client, org, 1, url_of)
    three = counts(queries_for, token_for, api_client, other_org, 3, url_of)
    assert one == three


def test_the_organisations_list_and_detail_cost_the_same_for_one_and_three_units(
    queries_for, token_for, api_client, org, other_org
):
    # A commune's token reads one organisation (``ApiToken.organization_ids``; a
    # province's is in test_province.py); the organisation's units and fields are the
    # rows that grow.
    build_world(org, count=1)
    build_world(other_org, count=1)
    UnitFactory.create_batch(2, organization=other_org)
    results = []
    for organization in (org, other_org):
        _token, plain = token_for(organization)
        client = api_client(plain)
        results.append(
            (
                queries_for(client, reverse("api:organizations")),
                queries_for(client, reverse("api:organization", args=[organization.pk])),
            )
        )
    assert results[0] == results[1]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("api:campaign", "campaigns"),
        ("api:registration", "registrations"),
        ("api:decision", "decisions"),
    ],
)
def test_a_detail_costs_the_same_whatever_the_organisation_holds(
    name, kind, queries_for, token_for, api_client, org, other_org
):
    one = counts(
        queries_for,
        token_for,
        api_client,
        org,
        1,
        lambda w: reverse(name, args=[getattr(w, kind)[0].pk]),
    )
    three = counts(
        queries_for,
        token_for,
        api_client,
        other_org,
        3,
        lambda w: reverse(name, args=[getattr(w, kind)[-1].pk]),
    )
    assert one == three
