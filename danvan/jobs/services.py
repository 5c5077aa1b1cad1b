"""Starting background jobs and recording what they do. Every write to a Job is here.

A feature starts a job with ``job_start(...)`` and a ``django.tasks`` task whose first
argument is the job's id; the task runs the work inside ``job_running(job_id)``, which
marks it running, reports progress (``job.step()``), stores the result file and marks it
done, or failed with the error. The task is enqueued when the transaction commits: with
the database queue a worker (``manage.py db_worker``) runs it; with the immediate backend
(development, tests) it runs there and then.
"""

import logging
import tempfile
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.models import Organization, User
from danvan.audit.services import audit_record
from danvan.forms import error_text
from danvan.jobs.models import Job
from danvan.storage import FilesOfTransaction

logger = logging.getLogger(__name__)


def job_start(
    *, actor: User, organization: Organization, kind: str, title: str, task, **kwargs
) -> Job:
    """Record a queued job for ``actor`` and enqueue ``task(job.pk, **kwargs)`` after commit."""
    with transaction.atomic():
        job = Job.objects.create(organization=organization, owner=actor, kind=kind, title=title)
        audit_record(
            actor=actor, action="job.start", obj=job, organization=organization, note=title
        )

        def enqueue():
            result = task.enqueue(job.pk, **kwargs)
            Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))

        transaction.on_commit(enqueue)
    return job


class RunningJob:
    """What a task sees of its job: progress and the result file."""

    def __init__(self, job: Job):
        self.job = job

    def set_total(self, total: int) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total)

    def step(self, done: int, *, every: int = 1) -> None:
        """``done`` items so far; written every ``every`` items (and at the last)."""
        self.job.done = done
        if done % every == 0 or done == self.job.total:
            Job.objects.filter(pk=self.job.pk).update(done=done)

    def save_result(self, name: str, content, *, content_type: str) -> None:
        """Store the result (bytes or a File) as the job's private file."""
        job = self.job
        files = FilesOfTransaction(Job._meta.get_field("result").storage)
        stored = files.save(job.result.field.generate_filename(job, _safe_name(job, name)), content)
        job.result.name = stored
        job.result_name = name
        job.result_type = content_type
        Job.objects.filter(pk=job.pk).update(
            result=stored, result_name=name, result_type=content_type
        )

    def write_result(self, name: str, write, *, content_type: str, every: int = 500) -> int:
        """Store as the result what ``write(file, progress)`` writes to a temporary file
        (so a large export never sits in memory), in Vietnamese whatever the worker's
        language; ``progress(done)`` is written every ``every`` items. Returns what
        ``write`` returns (its number of rows)."""
        with tempfile.TemporaryFile() as spool, translation.override("vi"):
            done = write(spool, lambda count: self.step(count, every=every))
            spool.seek(0)
            self.save_result(name, File(spool), content_type=content_type)
        return done


def _safe_name(job: Job, name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return f"{job.kind}-{job.pk}.{extension}"


@contextmanager
def job_running(job_id: int):
    """Run a job's work: running → done, or failed with a message the user can read.

    The exception is re-raised, so the task queue also records the failure.
    """
    moved = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("organization", "owner").get(pk=job_id)
    if not moved:
        logger.warning("Job %s is %s already; not run again", job_id, job.status)
        yield None
        return
    try:
        yield RunningJob(job)
    except Exception as error:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=_("Có lỗi khi thực hiện: %(error)s")
            % {"error": error_text(error) if isinstance(error, ValidationError) else error},
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, finished_at=timezone.now(), done=job.done
    )
