"""A province's token reads the province and the communes under it today, and nothing
else: never another province's communes, never a commune that has left. ``?organization=``
narrows it to one commune. A commune's token still reads its own data only."""

from datetime import date

import pytest
from django.urls import reverse

from api import services
from tests.api.conftest import build_world
from tests.api.test_scope import DETAILS, LISTS, listed_ids
from tests.factories import OrganizationFactory
from tests.province.conftest import attach, make_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_token(superuser):
    """``province_token(province)``: a token of the province, issued by a superuser (a
    province's staff do not use the back office); returns ``(token, plain)``."""

    def issue(province):
        return services.token_issue(actor=superuser, organization=province, name="Cổng tỉnh")

    return issue


@pytest.fixture
def provinces():
    """Two provinces: the first with communes A and B today, and D, which moved to the
    second province on 01/7/2025; the second with C as well."""
    province = make_province()
    other = make_province("Ủy ban nhân dân tỉnh Gia Lai")
    worlds = {name: build_world(OrganizationFactory()) for name in "ABCD"}
    attach(province, worlds["A"].organization)
    attach(province, worlds["B"].organization)
    attach(other, worlds["C"].organization)
    attach(
        province,
        worlds["D"].organization,
        valid_from=date(2024, 1, 1),
        valid_to=date(2025, 6, 30),
    )
    attach(other, worlds["D"].organization, valid_from=date(2025, 7, 1))
    return province, other, worlds


def test_a_province_token_lists_its_communes_objects_and_never_another_provinces(
    province_token, api_client, provinces
):
    province, _other, worlds = provinces
    _token, plain = province_token(province)
    client = api_client(plain)
    for kind, name in LISTS.items():
        expected = worlds["A"].ids(kind) | worlds["B"].ids(kind)
        assert listed_ids(client, reverse(name)) == expected, kind
    assert listed_ids(client, reverse("api:organizations")) == {
        province.pk,
        worlds["A"].organization.pk,
        worlds["B"].organization.pk,
    }


def test_a_province_token_reads_each_of_its_communes_objects(province_token, api_client, provinces):
    province, _other, worlds = provinces
    _token, plain = province_token(province)
    client = api_client(plain)
    for world in (worlds["A"], worlds["B"]):
        for kind, name in DETAILS.items():
            for obj in getattr(world, kind):
                response = client.get(reverse(name, args=[obj.pk]))
                assert response.status_code == 200, (kind, response.content)
        urls = [
            reverse("api:organization", args=[world.organization.pk]),
            reverse("api:round_results", args=[world.rounds[0].pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_another_provinces_communes_and_a_commune_that_left_are_404_for_a_province_token(
    province_token, api_client, provinces
):
    province, _other, worlds = provinces
    _token, plain = province_token(province)
    client = api_client(plain)
    for outside in (worlds["C"], worlds["D"]):
        urls = [
            reverse(name, args=[obj.pk])
            for kind, name in DETAILS.items()
            for obj in getattr(outside, kind)
        ]
        urls += [
            reverse("api:organization", args=[outside.organization.pk]),
            reverse("api:round_results", args=[outside.rounds[0].pk]),
            reverse("api:campaign_plan_file", args=[outside.campaigns[0].pk, "pdf"]),
            reverse("api:decision_file", args=[outside.decisions[0].pk, "docx"]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json()["error"]["code"] == "not_found", url


def test_a_deactivated_commune_is_no_longer_read_through_its_provinces_token(
    province_token, api_client, provinces
):
    province, _other, worlds = provinces
    worlds["B"].organization.is_active = False
    worlds["B"].organization.save(update_fields=["is_active"])
    _token, plain = province_token(province)
    client = api_client(plain)
    for kind, name in LISTS.items():
        assert listed_ids(client, reverse(name)) == worlds["A"].ids(kind), kind
    for kind, name in DETAILS.items():
        for obj in getattr(worlds["B"], kind):
            assert client.get(reverse(name, args=[obj.pk])).status_code == 404, kind


def test_a_commune_that_moved_is_read_by_its_new_province_with_its_earlier_years(
    province_token, api_client, provinces
):
    _province, other, worlds = provinces
    _token, plain = province_token(other)
    client = api_client(plain)
    expected = worlds["C"].ids("registrations") | worlds["D"].ids("registrations")
    assert listed_ids(client, reverse("api:registrations")) == expected


def test_the_organization_filter_narrows_a_province_token_to_one_commune(
    province_token, api_client, provinces
):
    province, _other, worlds = provinces
    _token, plain = province_token(province)
    client = api_client(plain)
    commune = worlds["B"]
    for kind, name in LISTS.items():
        url = f"{reverse(name)}?organization={commune.organization.pk}"
        assert listed_ids(client, url) == commune.ids(kind), kind


def test_the_organization_filter_naming_a_commune_outside_the_scope_finds_nothing(
    province_token, api_client, provinces
):
    province, _other, worlds = provinces
    _token, plain = province_token(province)
    client = api_client(plain)
    for outside in (worlds["C"], worlds["D"]):
        for name in LISTS.values():
            url = f"{reverse(name)}?organization={outside.organization.pk}"
            assert listed_ids(client, url) == set(), url


def test_a_communes_token_reads_neither_a_sibling_commune_nor_its_province(
    token_for, api_client, province_token, provinces
):
    province, _other, worlds = provinces
    _token, plain = token_for(worlds["A"].organization)
    client = api_client(plain)
    sibling = worlds["B"]
    for kind, name in DETAILS.items():
        for obj in getattr(sibling, kind):
            assert client.get(reverse(name, args=[obj.pk])).status_code == 404, kind
    for url in (
        reverse("api:organization", args=[sibling.organization.pk]),
        reverse("api:organization", args=[province.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for name in LISTS.values():
        url = f"{reverse(name)}?organization={sibling.organization.pk}"
        assert listed_ids(client, url) == set(), url
    assert listed_ids(client, reverse("api:organizations")) == {worlds["A"].organization.pk}


def test_a_province_tokens_scope_costs_one_query_remembered_for_the_request(
    province_token, token_for, provinces, django_assert_num_queries
):
    province, _other, worlds = provinces
    token, _plain = province_token(province)
    with django_assert_num_queries(1):
        first = token.organization_ids()
    with django_assert_num_queries(0):
        assert token.organization_ids() == first
    assert first == {province.pk, worlds["A"].organization.pk, worlds["B"].organization.pk}
    commune_token, _plain = token_for(worlds["A"].organization)
    with django_assert_num_queries(0):
        assert commune_token.organization_ids() == {worlds["A"].organization.pk}


@pytest.mark.parametrize("name", [*LISTS.values(), "api:organizations"])
def test_a_province_tokens_list_costs_the_same_for_one_and_three_communes(
    name, queries_for, province_token, api_client
):
    counts = []
    for communes in (1, 3):
        province = make_province(f"Ủy ban nhân dân tỉnh {communes}")
        for _index in range(communes):
            commune = OrganizationFactory()
            attach(province, commune)
            build_world(commune)
        _token, plain = province_token(province)
        counts.append(queries_for(api_client(plain), reverse(name)))
    assert counts[0] == counts[1]
