"""Two people at the same moment, on PostgreSQL: nothing lost, nothing inconsistent."""

import threading
import time
from datetime import date

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from evaluations import selectors, services
from evaluations.models import (
    Assignment,
    Criterion,
    Inspection,
    ReminderSent,
    Round,
    Rubric,
    Score,
)
from evaluations.scoring import weighted_total
from tests.concurrency import needs_postgres, run_together
from tests.evaluations.factories import points, points_totalling

pytestmark = needs_postgres


def test_two_evaluators_saving_at_once_lose_nothing(assignment, second_assignment, criteria):
    work = [
        (assignment, points_totalling(criteria, 91)),
        (second_assignment, points_totalling(criteria, 77)),
    ]

    results = run_together(
        lambda index: services.scores_save(
            actor=work[index][0].evaluator, assignment=work[index][0], points=work[index][1]
        ),
        2,
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Score.objects.count() == 2 * len(criteria)
    totals = dict(Assignment.objects.values_list("pk", "total_hundredths"))
    assert totals == {assignment.pk: 9100, second_assignment.pk: 7700}
    assert Rubric.objects.get().is_locked
    counted = Inspection.objects.values_list(
        "assigned_count", "scored_count", "scored_sum_hundredths"
    ).get(pk=assignment.inspection_id)
    assert counted == (2, 2, 16800)  # each recount waited for the other and saw it


def test_a_first_score_and_the_units_self_assessment_at_once_both_save(
    assignment, inspection, unit_officer, criteria
):
    work = [
        lambda: services.scores_save(
            actor=assignment.evaluator,
            assignment=assignment,
            points=points_totalling(criteria, 80),
        ),
        lambda: services.self_assessment_save(
            actor=unit_officer, inspection=inspection, points=points(criteria), narrative="Tốt."
        ),
    ]

    results = run_together(lambda index: work[index](), 2)

    assert not [r for r in results if isinstance(r, Exception)], results
    saved = Inspection.objects.get(pk=inspection.pk)
    assert (saved.assigned_count, saved.scored_count, saved.scored_sum_hundredths) == (1, 1, 8000)
    assert saved.self_submitted_at is not None
    assert Rubric.objects.get().is_locked


def test_one_evaluator_submitting_twice_at_once_saves_one_consistent_sheet(assignment, criteria):
    sheets = [points_totalling(criteria, 60), points_totalling(criteria, 95)]
    results = run_together(
        lambda index: services.scores_save(
            actor=assignment.evaluator, assignment=assignment, points=sheets[index]
        ),
        2,
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    saved = Assignment.objects.get(pk=assignment.pk)
    rows = {s.criterion_id: s.points for s in Score.objects.filter(assignment=assignment)}
    assert rows in sheets
    assert saved.total_hundredths == weighted_total(
        (rows[c.pk], c.max_points, c.weight) for c in criteria
    )


def _hold(work, entered: threading.Event, release_after: float):
    """Run ``work`` in a transaction kept open ``release_after`` seconds after it is done."""

    def run():
        try:
            with transaction.atomic():
                result = work()
                entered.set()
                time.sleep(release_after)
            return result
        finally:
            entered.set()
            connection.close()

    return run


def _in_thread(target) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run():
        try:
            outcome.append(target())
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_closing_waits_for_a_score_being_saved_and_keeps_it(
    office_user, round, assignment, criteria
):
    saving = threading.Event()
    saver, saved = _in_thread(
        _hold(
            lambda: services.scores_save(
                actor=assignment.evaluator, assignment=assignment, points=points(criteria)
            ),
            saving,
            release_after=0.5,
        )
    )
    saving.wait(10)
    started = time.monotonic()
    closer, closed = _in_thread(lambda: services.round_close(actor=office_user, round=round))
    saver.join(30)
    closer.join(30)

    assert not isinstance(saved[0], Exception), saved
    assert not isinstance(closed[0], Exception), closed
    assert time.monotonic() - started >= 0.3  # the close waited for the save to commit
    round.refresh_from_db()
    scored = Assignment.objects.get(pk=assignment.pk)
    assert round.status == Round.Status.CLOSED
    assert scored.is_scored
    assert scored.scored_at < round.closed_at
    assert Score.objects.filter(assignment=assignment).count() == len(criteria)


def test_a_score_saved_while_the_round_closes_is_refused_and_leaves_nothing(
    office_user, round, assignment, criteria
):
    closing = threading.Event()
    closer, closed = _in_thread(
        _hold(
            lambda: services.round_close(actor=office_user, round=round),
            closing,
            release_after=0.5,
        )
    )
    closing.wait(10)
    saver, saved = _in_thread(
        lambda: services.scores_save(
            actor=assignment.evaluator, assignment=assignment, points=points(criteria)
        )
    )
    closer.join(30)
    saver.join(30)

    assert not isinstance(closed[0], Exception), closed
    assert isinstance(saved[0], ValidationError)
    assert "Đợt kiểm tra đã kết thúc" in saved[0].messages[0]
    assert not Score.objects.exists()
    assert not Assignment.objects.get(pk=assignment.pk).is_scored


def test_closing_and_saving_at_the_same_moment_end_consistent(
    office_user, round, assignment, criteria
):
    results = run_together(
        lambda index: (
            services.round_close(actor=office_user, round=round)
            if index == 0
            else services.scores_save(
                actor=assignment.evaluator, assignment=assignment, points=points(criteria)
            )
        ),
        2,
    )
    closed, saved = results
    assert not isinstance(closed, Exception), closed
    round.refresh_from_db()
    scored = Assignment.objects.get(pk=assignment.pk)
    if isinstance(saved, Exception):
        assert isinstance(saved, ValidationError)
        assert not Score.objects.exists()
        assert not scored.is_scored
    else:
        assert Score.objects.count() == len(criteria)
        assert scored.scored_at < round.closed_at


def test_a_rubric_edit_and_a_first_score_at_once_leave_scores_matching_the_rubric(
    office_user, rubric, assignment, criteria
):
    rows = [
        {"id": c.pk, "title": c.title, "max_points": c.max_points, "weight": c.weight}
        for c in criteria
    ]
    rows[0]["max_points"] = 50
    bands = [
        {"name": b.name, "min_score": b.min_score, "passing": b.passing} for b in rubric.bands.all()
    ]

    results = run_together(
        lambda index: (
            services.rubric_update(actor=office_user, rubric=rubric, criteria=rows, bands=bands)
            if index == 0
            else services.scores_save(
                actor=assignment.evaluator, assignment=assignment, points=points(criteria, 5)
            )
        ),
        2,
    )

    edited, scored = results
    assert not isinstance(scored, Exception), scored
    assert Rubric.objects.get().is_locked
    current = selectors.criteria_of(rubric.campaign_id)
    if isinstance(edited, Exception):
        assert edited.code == "locked"
        assert Criterion.objects.get(pk=criteria[0].pk).max_points == 5
    else:
        assert Criterion.objects.get(pk=criteria[0].pk).max_points == 50
    stored = {s.criterion_id: s.points for s in Score.objects.filter(assignment=assignment)}
    assert Assignment.objects.get(pk=assignment.pk).total_hundredths == weighted_total(
        (stored[c.pk], c.max_points, c.weight) for c in current
    )


def test_two_office_users_closing_at_once_close_once(office_user, round):
    results = run_together(lambda _index: services.round_close(actor=office_user, round=round), 2)
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1
    assert isinstance(failures[0], ValidationError)
    assert Round.objects.get().status == Round.Status.CLOSED


def test_two_reminder_runs_at_once_send_one_reminder(round, assignment):
    mail.outbox.clear()
    results = run_together(lambda _index: services.reminders_send(today=date(2025, 7, 10)), 2)
    assert sorted(results) == [0, 1]
    assert ReminderSent.objects.count() == 1
    assert len(mail.outbox) == 1
