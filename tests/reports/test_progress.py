import re

import pytest
from django.urls import reverse

from awards.models import Award
from reports import selectors
from tests.factories import CampaignFactory
from tests.reports.conftest import build_year

pytestmark = pytest.mark.django_db


def url(campaign) -> str:
    return reverse("reports:progress", args=[campaign.pk])


def test_progress_counts_registrations_by_status_field_and_unit(
    org, office_user, chairman, office_evaluator
):
    world = build_year(org, office_user, chairman, office_evaluator, n=3)
    progress = selectors.campaign_progress(world.campaign)
    by_status = {row.label: row.values[0] for row in progress.by_status}
    assert by_status["Đã chấp nhận"] == 3
    assert by_status["Bản nháp"] == 1
    assert by_status["Đã gửi, chờ duyệt"] == 1
    assert {row.label: row.values[0] for row in progress.by_field} == {
        "Kinh tế": 2,
        "Văn hóa – xã hội": 1,
        "Quốc phòng – an ninh": 1,
    }
    # Drafts are not counted as sent; units in natural order.
    assert [(row.label, row.values[0]) for row in progress.by_unit] == [
        ("Tổ dân phố số 1", 2),
        ("Tổ dân phố số 2", 1),
        ("Tổ dân phố số 3", 1),
    ]


def test_progress_shows_scoring_ratings_and_awards(org, office_user, chairman, office_evaluator):
    world = build_year(org, office_user, chairman, office_evaluator, n=3)
    progress = selectors.campaign_progress(world.campaign)
    [line] = progress.rounds
    assert (line.models, line.assigned, line.scored, line.percent) == (3, 3, 3, 100)
    [ratings] = progress.ratings
    assert ratings.round == world.round
    rated = {row.label: row.values[0] for row in ratings.rows}
    assert sum(rated.values()) == 3
    assert rated["Chưa có kết quả"] == 0
    awards = list(Award.objects.filter(decision=world.decision))
    by_kind = {row.label: (row.values[0], row.amounts[0]) for row in progress.awards_by_kind}
    for kind, label in (
        ("collective", "Tập thể"),
        ("individual", "Cá nhân"),
        ("household", "Hộ gia đình"),
    ):
        mine = [a for a in awards if a.recipient_kind == kind]
        assert by_kind[label] == (len(mine), sum(a.amount_vnd for a in mine))
    assert sum(row.amounts[0] for row in progress.awards_by_form) == world.decision.total_vnd
    assert sum(row.values[0] for row in progress.awards_by_form) == 3


def test_progress_page_draws_accessible_charts_with_tables(
    org, office_user, chairman, office_evaluator, login
):
    world = build_year(org, office_user, chairman, office_evaluator, n=2)
    response = login(office_user).get(url(world.campaign))
    assert response.status_code == 200
    html = response.content.decode()
    svgs = re.findall(r"<svg role=\"img\" aria-labelledby=\"([^\"]+)\"", html)
    assert len(svgs) >= 6
    for labelled_by in svgs:
        title_id, desc_id = labelled_by.split()
        assert f'id="{title_id}"' in html
        assert f'id="{desc_id}"' in html
    # Figures are written as text on the bars, not only drawn.
    assert '<desc id="chart-unit-desc">Tổ dân phố số 1: 2; Tổ dân phố số 2: 1.</desc>' in html
    for table in ("table-status", "table-field", "table-unit", "table-rounds", "table-award-kinds"):
        assert f'data-testid="{table}"' in html
    assert "cdn" not in html.lower()


def test_progress_of_a_stage_shows_each_year(org, office_user, chairman, office_evaluator, login):
    stage = CampaignFactory(
        organization=org, year=2025, end_year=2026, kind="stage", status="issued", name="GĐ"
    )
    build_year(org, office_user, chairman, office_evaluator, n=1, stage=stage)
    build_year(org, office_user, chairman, office_evaluator, n=2, year=2026, stage=stage)
    progress = selectors.campaign_progress(stage)
    assert progress.years == [2025, 2026]
    accepted = next(row for row in progress.by_status if row.label == "Đã chấp nhận")
    assert accepted.values == [1, 2]
    assert [len(year.rows) > 1 for year in progress.ratings] == [True, True]
    html = login(chairman).get(url(stage)).content.decode()
    assert "2025: 1" in html
    assert "2026: 2" in html


def test_progress_page_query_count_does_not_grow_with_rows(
    org, office_user, chairman, office_evaluator, login, queries_for
):
    one = build_year(org, office_user, chairman, office_evaluator, n=1)
    three = build_year(
        org, office_user, chairman, office_evaluator, n=3, year=2024, name="Phong trào 2024"
    )
    client = login(office_user)
    assert queries_for(client, url(one.campaign)) == queries_for(client, url(three.campaign))


def test_progress_is_hidden_from_units_outsiders_and_drafts(
    org, office_user, chairman, office_evaluator, unit_officer, outsider, login
):
    world = build_year(org, office_user, chairman, office_evaluator, n=1)
    assert login(unit_officer).get(url(world.campaign)).status_code == 404
    assert login(outsider).get(url(world.campaign)).status_code == 404
    draft = CampaignFactory(organization=org)
    assert login(office_user).get(url(draft)).status_code == 404


def test_campaign_page_links_to_progress(org, office_user, chairman, office_evaluator, login):
    world = build_year(org, office_user, chairman, office_evaluator, n=1)
    page = login(office_user).get(reverse("campaigns:detail", args=[world.campaign.pk]))
    assert url(world.campaign) in page.content.decode()


def test_the_ratings_come_from_a_closed_round_before_one_under_way_never_a_planned_one(
    org, office_user, chairman, office_evaluator, login
):
    from evaluations.models import Round
    from tests.evaluations.factories import RoundFactory

    world = build_year(org, office_user, chairman, office_evaluator, n=1)
    page = login(office_user).get(url(world.campaign)).content.decode()
    assert 'data-testid="ratings-provisional"' in page  # only the open year-end round
    mid_year = RoundFactory(campaign=world.campaign, kind=Round.Kind.MID_YEAR, status="closed")
    [ratings] = selectors.campaign_progress(world.campaign).ratings
    assert ratings.round == mid_year
    page = login(office_user).get(url(world.campaign)).content.decode()
    assert 'data-testid="ratings-provisional"' not in page
    # A year-end round set up in advance does not replace the closed mid-year figures.
    Round.objects.filter(pk=world.round.pk).update(status="planned")
    [ratings] = selectors.campaign_progress(world.campaign).ratings
    assert ratings.round == mid_year


def test_fields_are_named_in_english_on_the_page_in_english(
    org, office_user, chairman, office_evaluator
):
    from django.utils import translation

    world = build_year(org, office_user, chairman, office_evaluator, n=3)
    with translation.override("en"):
        progress = selectors.campaign_progress(world.campaign)
    assert {row.label for row in progress.by_field} == {
        "Economy",
        "Culture and society",
        "Defence and security",
    }
