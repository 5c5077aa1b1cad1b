"""Background work about evaluations (django.tasks)."""

from django.tasks import task
from django.utils import translation

from danvan.excel import XLSX_CONTENT_TYPE
from danvan.jobs.services import job_running
from evaluations import exports
from evaluations.models import Assignment, Round
from evaluations.services import reminders_send


@task
def send_reminders(days: int | None = None) -> int:
    """The daily reminders (``manage.py send_evaluation_reminders``) as a queued task:
    a second run on the same day sends nothing. Returns how many were sent."""
    with translation.override("vi"):
        return reminders_send(days=days)


@task
def round_scores_export(job_id: int, round_id: int) -> int:
    """A round's scores as Excel (``exports.write_round_scores``) for the job's owner.
    Returns the number of rows."""
    with job_running(job_id) as job:
        if job is None:
            return 0
        round = Round.objects.select_related("campaign").get(
            pk=round_id, organization=job.job.organization
        )
        job.set_total(Assignment.objects.filter(round=round).count())
        return job.write_result(
            exports.round_scores_filename(round),
            lambda target, progress: exports.write_round_scores(round, target, progress=progress),
            content_type=XLSX_CONTENT_TYPE,
        )
