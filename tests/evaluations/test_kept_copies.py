"""An inspection keeps its model's lead unit, and a score sheet its model's number, from
the moment each is created: a unit officer's inbox counts the unit's models, and an
evaluator's worklist lists their first sheets, from indexes of those copies instead of
reading or sorting a whole round."""

import importlib

import pytest
from django.db import connection, transaction

from danvan.accounts.models import User
from evaluations import selectors, services
from evaluations.models import Assignment, Inspection
from tests.evaluations.factories import (
    AssignmentFactory,
    InspectionFactory,
    accepted,
    inspection_of,
    open_round,
    points,
    score,
)
from tests.factories import UserFactory

BACKFILL = importlib.import_module(
    "evaluations.migrations.0009_inspection_unit_assignment_sequence"
).BACKFILL


def _units(round) -> dict:
    return dict(Inspection.objects.filter(round=round).values_list("registration_id", "unit_id"))


def _sequences(*assignments) -> list[tuple[int, int]]:
    """Each sheet's kept number beside its model's."""
    return list(
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .order_by("pk")
        .values_list("sequence", "inspection__registration__sequence")
    )


def test_every_way_of_creating_an_inspection_records_its_models_unit(
    office_user, campaign, registration, own_registration, round, unit, other_unit, third_unit
):
    # round_create: the round's models at its creation, of two units.
    assert _units(round) == {registration.pk: unit.pk, own_registration.pk: other_unit.pk}

    late = accepted(campaign, third_unit, name="Mô hình chấp nhận sau")
    assert services.round_scope_sync(actor=office_user, round=round) == 1
    assert _units(round)[late.pk] == third_unit.pk

    made = InspectionFactory()
    assert made.unit_id == made.registration.unit_id
    [bulk] = Inspection.objects.bulk_create(
        [Inspection(round=made.round, registration=accepted(made.round.campaign, third_unit))]
    )
    assert Inspection.objects.get(pk=bulk.pk).unit_id == third_unit.pk


def test_every_way_of_creating_a_sheet_records_its_models_number(
    office_user, campaign, unit, rubric, evaluator, second_evaluator
):
    models = [accepted(campaign, unit, name=f"Mô hình {n}") for n in range(3)]
    round = open_round(office_user, campaign)
    inspections = [inspection_of(round, model) for model in reversed(models)]
    report = services.assignments_create(
        actor=office_user,
        round=round,
        inspections=inspections,
        evaluators=User.objects.filter(pk=evaluator.pk),
    )
    one = services.assignment_create(
        actor=office_user, inspection=inspections[0], evaluator=second_evaluator
    )
    created = Assignment.objects.create(inspection=inspections[1], evaluator=UserFactory())
    [bulk] = Assignment.objects.bulk_create(
        [Assignment(inspection=inspections[2], evaluator=UserFactory())]
    )
    made = AssignmentFactory(evaluator=UserFactory())

    kept = _sequences(*report.created, one, created, bulk, made)
    assert len(kept) == 7
    assert [copy for copy, _model in kept] == [model for _copy, model in kept]
    assert {copy for copy, _model in kept[:3]} == {model.sequence for model in models}


def test_the_migration_gives_the_inspections_and_sheets_already_there_their_copies(
    inspection, assignment, registration, unit, other_unit
):
    Inspection.objects.update(unit=other_unit)
    Assignment.objects.update(sequence=999)

    with connection.cursor() as cursor:
        for sql in BACKFILL:
            cursor.execute(sql)

    assert Inspection.objects.get(pk=inspection.pk).unit_id == unit.pk
    assert Assignment.objects.get(pk=assignment.pk).sequence == registration.sequence


def test_an_evaluators_sheets_follow_the_models_numbers_whatever_the_order_of_assignment(
    office_user, campaign, unit, rubric, evaluator
):
    first, second, third = [accepted(campaign, unit, name=f"Mô hình {n}") for n in range(3)]
    round = open_round(office_user, campaign)
    for model in (third, first, second):  # assigned one by one, the last model first
        services.assignment_create(
            actor=office_user, inspection=inspection_of(round, model), evaluator=evaluator
        )
    score(
        Assignment.objects.get(inspection__registration=first),
        points(rubric.criteria.all()),
    )

    sheets = selectors.evaluator_sheets(user=evaluator, round=round)

    assert [sheet.inspection.registration for sheet in sheets] == [second, third, first]


def test_a_unit_officers_count_of_models_to_self_assess_is_the_units_alone(
    office_user, unit_officer, org, campaign, registration, own_registration, round, unit
):
    counted = selectors.open_round_inspections(organization=org, units=[unit.pk])
    assert list(counted.values_list("registration", flat=True)) == [registration.pk]


def _plan(queryset) -> str:
    """PostgreSQL's plan for ``queryset`` with scanning the table and sorting priced out:
    the index is used, and no sort is added, only if the query can read it as it is."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_sort", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def postgres_plan(test):
    """The marks of a test of a PostgreSQL query plan (skipped elsewhere)."""
    only_there = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a PostgreSQL query plan"
    )
    return pytest.mark.postgres(only_there(test))


@postgres_plan
@pytest.mark.usefixtures("assignment")
def test_an_evaluators_first_sheets_are_read_in_order_from_the_worklist_index(evaluator, round):
    keys = selectors.evaluator_sheets(user=evaluator, round=round).values_list("pk", flat=True)
    plan = _plan(keys[: selectors.WORKLIST_LINES])
    assert "assignment_worklist" in plan
    assert "Sort" not in plan


@postgres_plan
def test_a_unit_officers_inbox_counts_from_the_units_index_alone(org, unit, round):
    unsent = selectors.open_round_inspections(organization=org, units=[unit.pk]).filter(
        self_submitted_at__isnull=True
    )
    plan = _plan(unsent.values("pk"))
    assert "Index Only Scan using inspection_unit_sent" in plan


@pytest.mark.parametrize("count", [1, 3])
def test_sheets_and_inspections_created_in_bulk_from_bare_keys_read_their_sources_at_once(
    office_user, campaign, unit, rubric, django_assert_num_queries, count
):
    models = [accepted(campaign, unit, name=f"Mô hình {n}") for n in range(count)]
    round = open_round(office_user, campaign)
    Inspection.objects.filter(round=round).delete()  # made again below, from keys alone

    # One query for the registrations, one insert.
    with django_assert_num_queries(2):
        made = Inspection.objects.bulk_create(
            [Inspection(round_id=round.pk, registration_id=model.pk) for model in models]
        )
    # One query for the inspections, one for their registrations, one insert.
    with django_assert_num_queries(3):
        sheets = Assignment.objects.bulk_create(
            [Assignment(inspection_id=i.pk, evaluator_id=office_user.pk) for i in made]
        )

    assert {i.unit_id for i in made} == {unit.pk}
    assert _sequences(*sheets) == [(model.sequence, model.sequence) for model in models]


def test_a_copy_given_wrong_is_replaced_by_the_source_on_creation(
    inspection, registration, unit, other_unit, evaluator
):
    made = Inspection.objects.create(
        round=inspection.round,
        registration=accepted(inspection.round.campaign, unit),
        unit=other_unit,
    )
    sheet = Assignment.objects.create(inspection=inspection, evaluator=evaluator, sequence=999)

    assert Inspection.objects.get(pk=made.pk).unit_id == unit.pk
    assert _sequences(sheet) == [(registration.sequence, registration.sequence)]


def test_saving_an_inspection_or_sheet_read_without_its_copies_does_not_read_them(
    inspection, assignment, django_assert_num_queries
):
    partial = Inspection.objects.only("pk", "self_narrative").get(pk=inspection.pk)
    sheet = Assignment.objects.only("pk", "findings").get(pk=assignment.pk)
    partial.self_narrative, sheet.findings = "Đã làm.", "Tốt."

    with django_assert_num_queries(2):  # the two updates, nothing read
        partial.save()
        sheet.save()

    assert Inspection.objects.get(pk=inspection.pk).self_narrative == "Đã làm."
    assert Assignment.objects.get(pk=assignment.pk).findings == "Tốt."
