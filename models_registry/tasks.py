"""Background work about registrations (django.tasks, see danvan.jobs)."""

from django.http import QueryDict
from django.tasks import task

from danvan.excel import XLSX_CONTENT_TYPE
from danvan.jobs.services import job_running
from models_registry import exports, selectors
from models_registry.forms import registration_filters


@task
def registrations_export(job_id: int, query: str = "") -> int:
    """The registrations list, filtered as on the page (``query``), as an Excel file for
    the job's owner: what they may see, nothing more. Returns the number of rows."""
    with job_running(job_id) as job:
        if job is None:
            return 0
        owner, organization = job.job.owner, job.job.organization
        _form, filters = registration_filters(
            QueryDict(query), user=owner, organization=organization
        )
        registrations = selectors.registration_list(
            user=owner, organization=organization, filters=filters
        )
        job.set_total(registrations.count())
        return job.write_result(
            exports.export_filename(organization),
            lambda target, progress: exports.write_registrations(
                registrations, target, progress=progress
            ),
            content_type=XLSX_CONTENT_TYPE,
        )
