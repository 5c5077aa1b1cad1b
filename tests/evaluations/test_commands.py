from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from evaluations.models import ReminderSent

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_daily_reminder_command_sends_once_a_day(
    round, assignment, evaluator, settings, django_capture_on_commit_callbacks
):
    settings.EVALUATION_REMINDER_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        output = run("send_evaluation_reminders", "--today", "2025-07-09")
    assert "Sent 1 reminder(s) (rounds closing within 3 days)." in output
    assert "Sent 0 reminder(s)" in run("send_evaluation_reminders", "--today", "2025-07-09")
    assert [m.to for m in mail.outbox] == [[evaluator.email]]
    assert ReminderSent.objects.get().pending == 1


def test_the_reminder_window_can_be_given_on_the_command_line(round, assignment):
    assert "Sent 0" in run("send_evaluation_reminders", "--today", "2025-07-01", "--days", "3")
    assert "Sent 1" in run("send_evaluation_reminders", "--today", "2025-07-01", "--days", "10")


@pytest.mark.parametrize("args", [["--today", "15/07/2025"], ["--days", "-1"]])
def test_the_reminder_command_refuses_bad_arguments(args, db):
    with pytest.raises(CommandError):
        run("send_evaluation_reminders", *args)


def test_the_benchmark_reports_medians_and_keeps_nothing(db):
    from evaluations.models import Round

    output = run("benchmark_evaluations", "--registrations", "12", "--runs", "1")
    assert "Seeded 12 registrations × 3 evaluators × 10 criteria (360 scores)" in output
    assert "round summary: first page of 50" in output
    assert "distribution by field and by unit" in output
    assert "page: distribution" in output
    assert "Rolled back: nothing was kept." in output
    assert not Round.objects.exists()
