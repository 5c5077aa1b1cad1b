"""Background work about awards (django.tasks, see danvan.jobs)."""

from django.tasks import task

from awards import documents
from awards.models import Award
from danvan.documents.pdf import render_pages_pdf
from danvan.jobs.services import job_running


@task
def decision_certificates(job_id: int, decision_id: int) -> int:
    """Every certificate (Giấy khen) of a decision that is not revoked, in one PDF to
    print. Returns the number of certificates."""
    with job_running(job_id) as job:
        if job is None:
            return 0
        awards = list(
            Award.objects.filter(
                decision_id=decision_id,
                organization=job.job.organization,
                revoked_at__isnull=True,
            )
            .select_related(
                "decision__issued_document",
                "decision__signer",
                "decision__organization",
                "decision__campaign",
                "award_form",
            )
            .order_by("position")
        )
        job.set_total(len(awards))
        pdf = render_pages_pdf(
            (documents.certificate_html(award) for award in awards),
            progress=lambda n: job.step(n, every=10),
        )
        stem = documents.decision_file_stem(awards[0].decision.issued_document)
        job.save_result(f"Giấy khen theo {stem}.pdf", pdf, content_type="application/pdf")
        return len(awards)
