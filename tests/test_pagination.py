"""Pages of long lists: the bounded count, the keyed pages of a search, and pages whose
keys are read before their rows."""

import html
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.pagination import (
    BoundedPaginator,
    KeyedPaginator,
    KeysFirstPaginator,
    first_rows,
)
from models_registry.models import Registration
from models_registry.views import PAGE_SIZE
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eight(org):
    """Eight registrations, two of them sharing a name (an order with ties)."""
    campaign = CampaignFactory(organization=org, status="issued")
    names = ["Hoa", "Cúc", "Lan", "Cúc", "Mai", "Đào", "Sen", "Huệ"]
    for name in names:
        RegistrationFactory(campaign=campaign, name=name)
    return Registration.objects.filter(organization=org)


def pks(page):
    return [row.pk for row in page.object_list]


def test_a_bounded_count_stops_one_past_the_limit(eight):
    paginator = BoundedPaginator(eight.order_by("pk"), 2, limit=4)
    assert paginator.count == 5
    assert paginator.is_bounded
    assert paginator.num_pages == 3
    assert not BoundedPaginator(eight.order_by("pk"), 2, limit=8).is_bounded


@pytest.mark.parametrize("order", [("pk",), ("name", "pk"), ("-name", "-pk")])
@pytest.mark.parametrize("limit", [4, 5, 8, 2000])
def test_keyed_pages_hold_the_rows_of_bounded_pages_in_the_same_order(eight, order, limit):
    ordered = eight.order_by(*order)
    bounded = BoundedPaginator(ordered, 2, limit=limit)
    keyed = KeyedPaginator(ordered, 2, limit=limit)
    assert (keyed.count, keyed.is_bounded, keyed.num_pages) == (
        bounded.count,
        bounded.is_bounded,
        bounded.num_pages,
    )
    for number in bounded.page_range:
        assert pks(keyed.page(number)) == pks(bounded.page(number))
    # The last page of a bounded list ends at the count, as a bounded page does.
    assert len(keyed.page(keyed.num_pages).object_list) == {4: 1, 5: 2, 8: 2, 2000: 2}[limit]


def test_a_keyed_page_reads_the_list_once_and_then_its_rows_by_key(eight):
    paginator = KeyedPaginator(eight.filter(name__contains="C").order_by("name", "pk"), 2)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.get_page(1)
        rows = list(page.object_list)
    assert [row.name for row in rows] == ["Cúc", "Cúc"]
    assert paginator.count == 2
    assert len(captured) == 2
    assert not any("COUNT(" in query["sql"].upper() for query in captured)


def test_an_empty_keyed_list_has_one_empty_page_and_reads_nothing_more(eight):
    paginator = KeyedPaginator(eight.filter(name="Không có").order_by("pk"), 2)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.get_page(1)
    assert (paginator.count, list(page.object_list)) == (0, [])
    assert len(captured) == 1


def test_a_row_gone_between_the_two_readings_leaves_the_page_short_not_broken(eight):
    paginator = KeyedPaginator(eight.order_by("pk"), 2)
    first, second = paginator.keys[:2]
    Registration.objects.filter(pk=first).delete()
    assert pks(paginator.page(1)) == [second]


@pytest.mark.parametrize("order", [("pk",), ("name", "pk"), ("-name", "-pk")])
@pytest.mark.parametrize("orphans", [0, 1])
def test_keys_first_pages_hold_the_rows_of_plain_pages_in_the_same_order(eight, order, orphans):
    ordered = eight.select_related("unit", "campaign").order_by(*order)
    plain = Paginator(ordered, 3, orphans=orphans)
    keys_first = KeysFirstPaginator(ordered, 3, orphans=orphans)
    assert (keys_first.count, keys_first.num_pages) == (plain.count, plain.num_pages)
    for number in plain.page_range:
        assert pks(keys_first.page(number)) == pks(plain.page(number))


def test_a_keys_first_page_reads_its_keys_without_the_joined_rows_then_its_rows(eight):
    paginator = KeysFirstPaginator(eight.select_related("unit").order_by("name", "pk"), 2)
    paginator.count  # noqa: B018 - counted beforehand, as the page's links do
    with CaptureQueriesContext(connection) as captured:
        page = paginator.get_page(2)
        units = [row.unit.name for row in page.object_list]
    assert pks(page) == list(eight.order_by("name", "pk").values_list("pk", flat=True))[2:4]
    assert len(units) == 2
    keys, rows = (query["sql"] for query in captured)
    assert "accounts_unit" not in keys
    assert "accounts_unit" in rows


@pytest.mark.parametrize("order", [("pk",), ("name", "pk"), ("-name", "-pk")])
def test_the_first_rows_read_by_key_are_the_lists_first_rows_in_its_order(eight, order):
    ordered = eight.select_related("unit").order_by(*order)
    with CaptureQueriesContext(connection) as captured:
        rows = first_rows(ordered, 5)
        units = [row.unit.name for row in rows]
    assert [row.pk for row in rows] == [row.pk for row in ordered[:5]]
    assert len(units) == 5
    keys, by_key = (query["sql"] for query in captured)
    assert "accounts_unit" not in keys
    assert "accounts_unit" in by_key
    assert [row.pk for row in first_rows(ordered, 50)] == [row.pk for row in ordered]


def _link(content: str, label: str) -> str:
    """The address of the pagination link labelled ``label``."""
    match = re.search(rf'<a class="page-link" href="([^"]*)">{label}</a>', content)
    assert match, f"no “{label}” link"
    return html.unescape(match.group(1))


def test_the_next_and_previous_links_lead_to_the_pages_keeping_the_filter(
    login, office_user, org, unit
):
    campaign = CampaignFactory(organization=org, status="issued")
    RegistrationFactory.create_batch(
        PAGE_SIZE + 1, campaign=campaign, unit=unit, status="submitted"
    )
    client = login(office_user)
    first = client.get(reverse("models_registry:list"), {"status": "submitted"})
    following = _link(first.content.decode(), "Sau")
    assert following == "?status=submitted&page=2"
    second = client.get(reverse("models_registry:list") + following)
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 1
    back = _link(second.content.decode(), "Trước")
    assert client.get(reverse("models_registry:list") + back).context["page"].number == 1


def test_a_second_list_on_a_page_keeps_its_own_page_number(rf, office_user):
    request = rf.get("/", {"page": "3", "q": "hoa sen"})
    template = Template('{% load portal %}{% page_query 2 "ballot" %}')
    link = template.render(Context({"request": request}))
    assert html.unescape(link) == "?page=3&q=hoa+sen&ballot=2"
