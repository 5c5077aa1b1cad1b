"""The province's roll-up: figures across its communes from the communes' own records,
computed by the database; nobody outside the province sees them."""

import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import Membership
from danvan.jobs.models import Job
from province import selectors
from tests.factories import OrganizationFactory, member
from tests.province.conftest import YEAR, attach, commune_year

Role = Membership.Role
PAGES = [
    lambda commune: reverse("province:rollup") + f"?year={YEAR}",
    lambda commune: reverse("province:commune", args=[commune.pk]) + f"?year={YEAR}",
]
EXPORT = reverse("province:rollup_export")
FORMATS = ["xlsx", "docx", "pdf"]


def export(client, fmt, capture):
    """Start the export as the page does; the task runs inline. Returns its job."""
    with capture(execute=True):
        response = client.post(EXPORT, {"fmt": fmt, "year": YEAR})
    assert response.status_code == 302
    assert response.url == reverse("jobs:list")
    return Job.objects.latest("pk")


def download(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


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


def test_a_withdrawn_model_counts_as_registered_as_in_the_communes_own_report(province):
    """A unit may withdraw a model only after it was accepted: it was sent, so it counts
    as registered, on the province's roll-up as in the commune's review report."""
    from models_registry.models import Registration
    from reports.selectors import model_lines

    commune = commune_year(province)
    registration = Registration.objects.get(organization=commune, status="accepted")
    Registration.objects.filter(pk=registration.pk).update(status="withdrawn")
    row = selectors.rollup(province=province, year=YEAR).communes[0]
    assert (row.registered, row.accepted) == (3, 1)
    [line] = model_lines([registration.campaign_id], "field_id", "field__name")
    assert (line.registered, line.accepted) == (row.registered, row.accepted)


def test_the_rollup_names_fields_in_the_readers_language(province):
    from django.utils import translation

    commune_year(province)
    with translation.override("en"):
        assert [
            row.label for row in selectors.rollup_summary(province=province, year=YEAR).fields
        ] == ["Economy"]
    with translation.override("vi"):
        assert [
            row.label for row in selectors.rollup_summary(province=province, year=YEAR).fields
        ] == ["Kinh tế"]


def test_a_renamed_commune_is_listed_sorted_and_headed_by_the_name_it_had_that_year(
    province, province_office, login
):
    from danvan.accounts.models import Organization
    from province.models import CommuneMembership

    renamed = commune_year(province)
    other = commune_year(province)
    Organization.objects.filter(pk=renamed.pk).update(name="Phường Trà Câu")
    Organization.objects.filter(pk=other.pk).update(name="Phường Đức Phổ")
    CommuneMembership.objects.filter(commune=renamed).update(name_then="Phường Ân Phú")
    names = [entry.name for entry in selectors.commune_entries(province=province, year=YEAR)]
    assert names == ["Phường Ân Phú", "Phường Đức Phổ"]  # by the names shown, "Ân" before "Đ"
    page = login(province_office).get(PAGES[1](renamed)).content.decode()
    assert '<h1 class="h3">Phường Ân Phú</h1>' in page
    assert "Phường Trà Câu" not in page


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
    province, province_office, province_viewer, login, django_capture_on_commit_callbacks
):
    commune = commune_year(province)
    for user in (province_office, province_viewer):
        client = login(user)
        for page in PAGES:
            response = client.get(page(commune))
            assert response.status_code == 200, page(commune)
        for fmt in FORMATS:
            job = export(client, fmt, django_capture_on_commit_callbacks)
            assert (job.status, job.owner, job.organization) == (Job.Status.DONE, user, province)
            assert job.result_name.endswith(f".{fmt}")
            content = download(client, job)
            assert content[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    page = login(province_viewer).get(PAGES[0](commune)).content.decode()
    assert commune.name in page
    assert "710.000" in page


def test_rollup_excel_lists_each_commune_with_its_figures(
    province, province_office, login, django_capture_on_commit_callbacks
):
    from io import BytesIO

    commune = commune_year(province)
    client = login(province_office)
    job = export(client, "xlsx", django_capture_on_commit_callbacks)
    assert job.result_name == f"tong-hop-dan-van-kheo-{province.code}-{YEAR}.xlsx"
    sheet = load_workbook(BytesIO(download(client, job))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Xã, phường, đặc khu"
    assert rows[1][0] == commune.name
    assert rows[1][3:6] == (3, 2, 1)
    assert rows[1][-1] == 710_000


def test_the_bc_summary_is_made_in_the_background_for_its_owner_only(
    province, province_office, province_viewer, login, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from pypdf import PdfReader

    commune = commune_year(province)
    client = login(province_office)
    job = export(client, "pdf", django_capture_on_commit_callbacks)
    assert job.result_name == f"Báo cáo tổng hợp Dân vận khéo {YEAR}.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(download(client, job))).pages)
    assert "BÁO CÁO" in text
    assert commune.name.split()[-1] in text
    assert "Báo cáo tổng hợp (PDF)" in client.get(reverse("jobs:list")).content.decode()
    colleague = login(province_viewer)
    assert colleague.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_an_unknown_export_format_is_404_and_starts_nothing(province, province_office, login):
    response = login(province_office).post(EXPORT, {"fmt": "csv", "year": YEAR})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_rollup_report_is_a_bc_draft_of_the_province(province, province_office):
    from province.exports import rollup_report

    commune_year(province)
    spec = rollup_report(selectors.rollup(province=province, year=YEAR))
    assert spec.kind_title == "BÁO CÁO"
    assert spec.symbol == "BC-UBND"
    assert spec.header_lines == ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI")
    assert "3 mô hình đăng ký" in " ".join(getattr(part, "text", "") for part in spec.body)
    # Signed for the province's People's Committee, whose header it carries.
    assert (spec.signature.mode_line, spec.signature.title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert spec.recipients == ("Lưu: VT.",)


def test_rollup_report_numbers_its_sections_without_a_gap_before_any_rating(
    province, province_office
):
    from province.exports import rollup_report

    commune_year(province, reported=False)
    spec = rollup_report(selectors.rollup(province=province, year=YEAR))
    texts = [getattr(part, "text", "") for part in spec.body]
    headings = [found[1] for text in texts if (found := re.match(r"([IVX]+)\. ", text))]
    assert headings == ["I", "II", "III", "IV"]
    assert "Chưa có đơn vị kết thúc đợt đánh giá cuối năm." in texts


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_another_provinces_office_gets_404_on_every_rollup_page(
    province, other_province, other_province_office, login, page
):
    commune = commune_year(province)
    commune_year(other_province)
    response = login(other_province_office).get(PAGES[page](commune))
    if page == 1:
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


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_communes_office_cannot_start_an_export(province, login, fmt):
    commune = commune_year(province)
    office = member(commune, Role.OFFICE)
    assert login(office).post(EXPORT, {"fmt": fmt, "year": YEAR}).status_code == 404
    assert not Job.objects.exists()


def test_another_provinces_export_holds_only_its_own_communes(
    province, other_province, other_province_office, login, django_capture_on_commit_callbacks
):
    from io import BytesIO

    commune = commune_year(province)
    theirs = commune_year(other_province)
    client = login(other_province_office)
    job = export(client, "xlsx", django_capture_on_commit_callbacks)
    names = [
        row[0]
        for row in load_workbook(BytesIO(download(client, job))).active.iter_rows(values_only=True)
    ]
    assert theirs.name in names
    assert commune.name not in names


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


# The page at a province's size ----------------------------------------------------------


def _bare_commune(province, name):
    commune = OrganizationFactory(name=name)
    attach(province, commune)
    return commune


def test_the_page_lists_communes_a_page_at_a_time_with_province_wide_totals(
    province, province_office, login, monkeypatch
):
    from province import views

    monkeypatch.setattr(views, "ROLLUP_PAGE_SIZE", 2)
    first = commune_year(province)
    second = commune_year(province)
    third = commune_year(province)
    names = sorted([first.name, second.name, third.name])
    client = login(province_office)
    one = client.get(PAGES[0](first)).content.decode()
    two = client.get(PAGES[0](first) + "&page=2").content.decode()
    assert [name in one for name in names] == [True, True, False]
    assert [name in two for name in names] == [False, False, True]
    for page in (one, two):  # the totals are the province's, on every page
        assert "2.130.000" in page
        assert "Trang" in page


def test_the_search_ignores_accents_and_the_filter_finds_who_has_not_launched(
    province, province_office, login
):
    commune_year(province)
    wanted = _bare_commune(province, "Phường Đức Phổ")
    other = _bare_commune(province, "Xã Bình Sơn")
    client = login(province_office)
    found = client.get(PAGES[0](wanted) + "&q=duc+PHO").content.decode()
    assert wanted.name in found
    assert other.name not in found
    silent = client.get(PAGES[0](wanted) + "&state=not_launched").content.decode()
    assert wanted.name in silent
    assert other.name in silent
    nothing = client.get(PAGES[0](wanted) + "&q=khong+co+xa+nao").content.decode()
    assert "Không có xã, phường nào phù hợp." in nothing


def test_the_paged_and_searched_page_query_count_does_not_grow_with_communes(
    province, province_office, login, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from province import views

    monkeypatch.setattr(views, "ROLLUP_PAGE_SIZE", 2)
    client = login(province_office)
    first = commune_year(province)
    url = PAGES[0](first) + "&q=a&page=1"
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        commune_year(province)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url.replace("page=1", "page=2")).status_code == 200
    assert len(five) == len(one)


def test_the_summary_adds_up_every_commune_by_the_database(province):
    commune_year(province)
    commune_year(province, reported=False)
    commune_year(province, launched=False)
    summary = selectors.rollup_summary(province=province, year=YEAR)
    full = selectors.rollup(province=province, year=YEAR)
    assert (summary.totals.registered, summary.totals.accepted, summary.totals.recognised) == (
        full.totals.registered,
        full.totals.accepted,
        full.totals.recognised,
    )
    assert (summary.totals.awards, summary.totals.amount_vnd) == (2, 1_420_000)
    assert summary.rating_totals == full.rating_totals == {"Xuất sắc": 1, "Khá": 1}
