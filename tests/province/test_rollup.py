"""The province's roll-up: figures across its communes from the communes' own records,
computed by the database; nobody outside the province sees them."""

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import Membership
from province import selectors
from tests.factories import OrganizationFactory, member
from tests.province.conftest import YEAR, attach, commune_year

Role = Membership.Role
PAGES = [
    lambda commune: reverse("province:rollup") + f"?year={YEAR}",
    lambda commune: reverse("province:rollup_xlsx") + f"?year={YEAR}",
    lambda commune: reverse("province:rollup_document", args=["docx"]) + f"?year={YEAR}",
    lambda commune: reverse("province:commune", args=[commune.pk]) + f"?year={YEAR}",
]


def test_rollup_adds_up_each_communes_registrations_ratings_and_awards(province):
    first, second = commune_year(province), commune_year(province)
    data = selectors.rollup(province=province, year=YEAR)
    assert {row.organization_id for row in data.communes} == {first.pk, second.pk}
    row = data.communes[0]
    # Draft not counted; submitted, accepted and recognised registered.
    assert (row.registered, row.accepted, row.recognised) == (3, 2, 1)
    assert row.ratings == {"Xuất sắc": 1, "Khá": 1}
    assert (row.awards, row.amount_vnd) == (1, 710_000)
    assert data.bands == ["Xuất sắc", "Khá"]
    assert data.rating_totals == {"Xuất sắc": 2, "Khá": 2}
    assert [(a.count, a.amount_vnd) for a in data.awards] == [(2, 1_420_000)]
    assert [(f.label, f.registered) for f in data.fields] == [("Kinh tế", 6)]
    assert (data.totals.registered, data.totals.amount_vnd) == (6, 1_420_000)


def test_rollup_names_communes_that_have_not_launched_or_reported(province):
    commune_year(province)
    silent = commune_year(province, launched=False)
    unreported = commune_year(province, reported=False)
    data = selectors.rollup(province=province, year=YEAR)
    assert [row.organization_id for row in data.not_launched] == [silent.pk]
    assert [row.organization_id for row in data.not_reported] == [unreported.pk]


def test_rollup_leaves_out_other_provinces_communes_and_other_years(province, other_province):
    commune_year(province)
    commune_year(other_province)
    commune_year(province, year=YEAR - 1)  # joined in 2025: not under the province in 2024
    data = selectors.rollup(province=province, year=YEAR)
    assert data.totals.registered == 3
    assert len(data.communes) == 2  # the second commune is listed, with nothing in 2025
    assert sorted(row.registered for row in data.communes) == [0, 3]


def test_a_commune_that_left_counts_for_the_years_it_was_under_the_province(province):
    commune = OrganizationFactory()
    attach(province, commune, valid_from=date(2020, 1, 1), valid_to=date(2024, 6, 30))
    assert commune.pk in selectors.commune_ids(province, year=2024)
    assert commune.pk not in selectors.commune_ids(province, year=2025)
    assert commune.pk not in selectors.commune_ids(province)


def test_province_office_and_viewer_see_the_rollup_and_its_exports(
    province, province_office, province_viewer, login
):
    commune = commune_year(province)
    for user in (province_office, province_viewer):
        client = login(user)
        for page in PAGES:
            response = client.get(page(commune))
            assert response.status_code == 200, page(commune)
    page = login(province_viewer).get(PAGES[0](commune)).content.decode()
    assert commune.name in page
    assert "710.000" in page


def test_rollup_excel_lists_each_commune_with_its_figures(province, province_office, login):
    commune = commune_year(province)
    response = login(province_office).get(PAGES[1](commune))
    from io import BytesIO

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Xã, phường, đặc khu"
    assert rows[1][0] == commune.name
    assert rows[1][3:6] == (3, 2, 1)
    assert rows[1][-1] == 710_000


def test_rollup_report_is_a_bc_draft_of_the_province(province, province_office):
    from province.exports import rollup_report

    commune_year(province)
    spec = rollup_report(selectors.rollup(province=province, year=YEAR))
    assert spec.kind_title == "BÁO CÁO"
    assert spec.symbol == "BC-UBND"
    assert spec.header_lines == ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI")
    assert "3 mô hình đăng ký" in " ".join(getattr(part, "text", "") for part in spec.body)


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_another_provinces_office_gets_404_on_every_rollup_page(
    province, other_province, other_province_office, login, page
):
    commune = commune_year(province)
    commune_year(other_province)
    response = login(other_province_office).get(PAGES[page](commune))
    if page == 3:
        assert response.status_code == 404
    else:
        # Its own roll-up shows only its own commune.
        assert response.status_code == 200
        assert commune.name.encode() not in response.content


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_a_communes_office_gets_404_on_every_province_page(province, login, page):
    commune = commune_year(province)
    neighbour = commune_year(province)
    office = member(commune, Role.OFFICE)
    assert login(office).get(PAGES[page](neighbour)).status_code == 404


def test_a_superuser_in_a_commune_does_not_get_a_rollup(province, superuser, login):
    commune = commune_year(province)
    client = login(superuser)
    session = client.session
    session["current_organization_id"] = commune.pk
    session.save()
    assert client.get(PAGES[0](commune)).status_code == 404


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_rollup_pages_query_count_does_not_grow_with_communes(
    province, province_office, login, page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(province_office)
    first = commune_year(province)
    client.get(PAGES[page](first))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGES[page](first)).status_code == 200
    commune_year(province)
    commune_year(province)
    with CaptureQueriesContext(connection) as three:
        assert client.get(PAGES[page](first)).status_code == 200
    assert len(three) == len(one)


def test_the_menu_leads_province_people_to_the_rollup_and_communes_to_their_proposals(
    province, province_viewer, login
):
    commune = commune_year(province)
    home = login(province_viewer).get(reverse("home"))
    assert home.status_code == 200
    assert f'href="{reverse("province:rollup")}"' in home.content.decode()
    office = member(commune, Role.OFFICE)
    page = login(office).get(reverse("home")).content.decode()
    assert f'href="{reverse("province:rollup")}"' not in page
    assert f'href="{reverse("province:sent")}"' in page
