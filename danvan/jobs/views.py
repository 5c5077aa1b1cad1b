from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from danvan.jobs import selectors
from danvan.jobs.models import Job
from danvan.uploads import private_file_response


def _organization(request):
    if request.organization is None:
        raise Http404
    return request.organization


@require_GET
def job_list(request):
    """The user's own jobs; the page reloads itself while one is still running."""
    jobs = list(selectors.jobs_of(user=request.user, organization=_organization(request)))
    return render(
        request,
        "jobs/list.html",
        {"jobs": jobs, "refresh": any(not job.is_finished for job in jobs)},
    )


@require_GET
def job_download(request, pk: int):
    job = get_object_or_404(Job, pk=pk, organization=_organization(request), status=Job.Status.DONE)
    if not request.user.has_perm("jobs.view_job", job) or not job.result:
        raise Http404
    return private_file_response(job.result, content_type=job.result_type, filename=job.result_name)
