"""Background work about evaluations (django.tasks)."""

from django.tasks import task
from django.utils import translation

from evaluations.services import reminders_send


@task
def send_reminders(days: int | None = None) -> int:
    """The daily reminders (``manage.py send_evaluation_reminders``) as a queued task:
    a second run on the same day sends nothing. Returns how many were sent."""
    with translation.override("vi"):
        return reminders_send(days=days)
