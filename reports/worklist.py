"""The review reports' line of the home page's work list (``danvan.worklist``)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.accounts.rules import is_signer
from danvan.worklist import Task
from reports.models import ReviewReport


def report_tasks(*, user, organization, today) -> list[Task]:
    """A chairman or vice-chairman: the draft reports the office sent them to sign, in one
    query; a single one is linked directly."""
    if not is_signer.test(user, organization):
        return []
    waiting = ReviewReport.objects.filter(
        organization=organization,
        issued_document__isnull=True,
        sent_for_signature_at__isnull=False,
    )
    found = waiting.aggregate(count=Count("pk"), first=Min("pk"))
    url = (
        reverse("reports:report", args=[found["first"]])
        if found["count"] == 1
        else reverse("campaigns:list")
    )
    return [
        Task("reports_to_sign", _("Báo cáo sơ kết, tổng kết chờ ký ban hành"), url, found["count"])
    ]
