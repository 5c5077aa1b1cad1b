"""Background work of the province (django.tasks, see danvan.jobs): the roll-up's Excel
table, which lists every commune. (Its BC summary renders through
``danvan.documents.tasks.render_document``, builder ``province_rollup_report``.)"""

from django.tasks import task
from django.utils import translation

from danvan.excel import XLSX_CONTENT_TYPE
from danvan.jobs.services import job_running
from province import exports, selectors


@task
def rollup_workbook(job_id: int, year: int) -> int:
    """The roll-up of the job's province in ``year`` as an Excel file for the job's
    owner. Returns the number of communes."""
    with job_running(job_id) as job:
        if job is None:
            return 0
        job.set_total(2)
        with translation.override("vi"):
            data = selectors.rollup(province=job.job.organization, year=year)
            job.step(1)
            content = exports.rollup_workbook(data)
        job.step(2)
        job.save_result(exports.workbook_filename(data), content, content_type=XLSX_CONTENT_TYPE)
        return len(data.communes)
