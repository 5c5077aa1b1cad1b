"""Each inspection keeps its assigned, scored and summed totals, so that a round's counts
and ratings never read its score sheets; every path that changes an assignment keeps them
true."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import selectors, services
from evaluations.models import Assignment, Inspection
from tests.evaluations.factories import points_totalling, score
from tests.factories import UserFactory

BACKFILL = importlib.import_module("evaluations.migrations.0002_inspection_results").BACKFILL
ASSIGNMENT_BACKFILL = importlib.import_module(
    "evaluations.migrations.0003_assignment_round"
).BACKFILL


def _results(inspection) -> tuple[int, int, int]:
    return Inspection.objects.values_list(
        "assigned_count", "scored_count", "scored_sum_hundredths"
    ).get(pk=inspection.pk)


def test_assigning_scoring_rescoring_and_withdrawing_keep_the_inspections_totals(
    inspection, assignment, second_evaluator, office_user, criteria
):
    assert _results(inspection) == (1, 0, 0)
    second = services.assignment_create(
        actor=office_user, inspection=inspection, evaluator=second_evaluator
    )
    assert _results(inspection) == (2, 0, 0)

    score(assignment, points_totalling(criteria, 91))
    assert _results(inspection) == (2, 1, 9100)
    score(assignment, points_totalling(criteria, 85.5))  # the evaluator corrects the sheet
    assert _results(inspection) == (2, 1, 8550)

    services.assignment_remove(actor=office_user, assignment=second)
    assert _results(inspection) == (1, 1, 8550)


def test_a_refused_withdrawal_of_a_scored_sheet_changes_no_total(
    inspection, assignment, office_user, criteria
):
    score(assignment, points_totalling(criteria, 70))
    with pytest.raises(ValidationError):
        services.assignment_remove(actor=office_user, assignment=assignment)
    assert _results(inspection) == (1, 1, 7000)


def test_the_migration_counts_the_sheets_of_inspections_scored_before_it(
    inspection, assignment, second_assignment, criteria
):
    score(assignment, points_totalling(criteria, 64))
    score(second_assignment, points_totalling(criteria, 80))
    Inspection.objects.update(assigned_count=0, scored_count=0, scored_sum_hundredths=0)

    with connection.cursor() as cursor:
        cursor.execute(BACKFILL)

    assert _results(inspection) == (2, 2, 14400)


def test_a_rounds_counts_and_ratings_do_not_read_its_score_sheets(
    inspection, assignment, second_assignment, criteria
):
    score(assignment, points_totalling(criteria, 64))
    round = inspection.round
    bands = selectors.bands_of(round.campaign_id)

    with CaptureQueriesContext(connection) as queries:
        counts = selectors.rating_counts(round=round, bands=bands)
        selectors.rating_distribution(round=round, bands=bands)
        progress = selectors.round_progress(round=round)

    read = [q["sql"] for q in queries.captured_queries]
    sheets = Assignment._meta.db_table
    # Only the progress by evaluator groups the sheets themselves.
    assert [sql for sql in read if sheets in sql] == [
        sql for sql in read if sheets in sql and "evaluator_id" in sql
    ]
    assert len([sql for sql in read if sheets in sql]) == 1
    assert sum(counts.values()) == progress["overall"]["models"] == round.inspections.count()
    assert progress["overall"]["assigned"] == 2
    assert progress["overall"]["scored"] == 1


def test_each_way_of_creating_a_sheet_records_its_inspections_round(
    inspection, assignment, second_evaluator, third_unit
):
    bulk = Assignment.objects.bulk_create(
        [Assignment(inspection=inspection, evaluator=second_evaluator)]
    )[0]
    created = Assignment.objects.create(inspection=inspection, evaluator=UserFactory())
    rounds = Assignment.objects.filter(pk__in=[assignment.pk, bulk.pk, created.pk]).values_list(
        "round_id", flat=True
    )
    assert list(rounds) == [inspection.round_id] * 3


def test_the_migration_gives_the_sheets_already_there_their_inspections_round(
    inspection, assignment, office_user, campaign
):
    other = services.round_create(
        actor=office_user,
        campaign=campaign,
        data={
            "kind": "periodic",
            "name": "Đợt khác",
            "starts_on": inspection.round.starts_on,
            "ends_on": inspection.round.ends_on,
        },
    )
    Assignment.objects.update(round=other)

    with connection.cursor() as cursor:
        cursor.execute(ASSIGNMENT_BACKFILL)

    assert Assignment.objects.get(pk=assignment.pk).round_id == inspection.round_id
