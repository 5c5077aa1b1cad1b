"""The database's means, spreads and ratings agree with the reference arithmetic."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations import selectors
from evaluations.models import Assignment, Inspection
from evaluations.scoring import mean_of, rating_for, spread_of
from tests.evaluations.factories import InspectionFactory, RoundFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SCORED_AT = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)
# Totals near the default band minimums, and anywhere.
near_edges = st.sampled_from([0, 1, 4999, 5000, 5001, 6499, 6500, 7999, 8000, 8999, 9000, 10000])
totals = st.lists(st.one_of(near_edges, st.integers(0, 10_000)), min_size=0, max_size=5)


@pytest.fixture
def world(office_user, campaign, rubric):
    return {
        "round": RoundFactory(campaign=campaign),
        "bands": selectors.bands_of(campaign.pk),
        "team": UserFactory.create_batch(7),
    }


def _inspection_with(world, values, *, unscored: int = 0) -> Inspection:
    inspection = InspectionFactory(round=world["round"])
    Assignment.objects.bulk_create(
        [
            Assignment(
                inspection=inspection, evaluator=user, total_hundredths=value, scored_at=SCORED_AT
            )
            for user, value in zip(world["team"], values, strict=False)
        ]
        + [
            Assignment(inspection=inspection, evaluator=user)
            for user in world["team"][len(values) : len(values) + unscored]
        ]
    )
    Inspection.objects.filter(pk=inspection.pk).refresh_results()  # as the services do
    return inspection


@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=totals, unscored=st.integers(0, 2))
def test_the_databases_mean_spread_and_rating_match_the_reference(world, values, unscored):
    inspection = _inspection_with(world, values, unscored=unscored)
    row = next(
        r
        for r in selectors.round_results(round=world["round"], bands=world["bands"])
        if r.pk == inspection.pk
    )
    assert row.mean == mean_of(values)
    assert row.scored_count == len(values)
    assert row.assigned_count == len(values) + unscored
    spread = None if row.highest is None else row.highest - row.lowest
    assert spread == spread_of(values)
    expected = rating_for(mean_of(values), world["bands"])
    assert row.band_id == (expected.pk if expected else None)


@settings(
    deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(models=st.lists(totals, min_size=1, max_size=6))
def test_the_distribution_counts_each_model_in_the_band_of_its_mean(world, models):
    round = RoundFactory(campaign=world["round"].campaign)
    world = {**world, "round": round}
    for values in models:
        _inspection_with(world, values)
    expected = {}
    for values in models:
        band = rating_for(mean_of(values), world["bands"])
        expected[band.pk if band else None] = expected.get(band.pk if band else None, 0) + 1
    assert selectors.rating_counts(round=round, bands=world["bands"]) == expected
    distribution = selectors.rating_distribution(round=round, bands=world["bands"])
    totals_by_band = dict(
        zip([b.pk for b in world["bands"]], distribution.totals.counts, strict=True)
    )
    totals_by_band[None] = distribution.totals.unrated
    assert {k: v for k, v in totals_by_band.items() if v} == expected
    assert distribution.totals.total == len(models)
    assert sum(row.total for row in distribution.by_unit) == len(models)
