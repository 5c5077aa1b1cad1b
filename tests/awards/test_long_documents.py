"""Documents too long to render while the reader waits (``settings.LONG_DOCUMENT_LINES``):
a council meeting's PDFs are made by a background job, the Word files still at once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from danvan.jobs.models import Job
from danvan.jobs.services import job_running
from tests.documents.text import docx_lines
from tests.factories import NominationFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(meeting, campaign, office_user):
    """Three nominations the council voted on: two passed, one did not."""
    nominations = [
        NominationFactory(campaign=campaign, unit=UnitFactory(organization=campaign.organization))
        for _index in range(3)
    ]
    services.votes_record(
        actor=office_user,
        meeting=meeting,
        votes={nominations[0].pk: 9, nominations[1].pk: 8, nominations[2].pk: 2},
    )
    return nominations


def _document(meeting, document, fmt):
    return reverse("awards:meeting_document", args=[meeting.pk, document, fmt])


def _job_url(meeting, document, fmt):
    return reverse("awards:meeting_document_job", args=[meeting.pk, document, fmt])


def test_a_short_meeting_links_its_pdfs_and_serves_them_at_once(
    login, meeting, voted, office_user, settings
):
    settings.LONG_DOCUMENT_LINES = 3
    client = login(office_user)
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert f'href="{_document(meeting, "minutes", "pdf")}"' in page
    assert _job_url(meeting, "minutes", "pdf") not in page
    response = client.get(_document(meeting, "minutes", "pdf"))
    assert response.content.startswith(b"%PDF")


def test_a_long_meetings_pdf_is_made_in_the_background_for_whoever_asked(
    login, meeting, voted, office_user, chairman, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCUMENT_LINES = 2
    client = login(office_user)
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert _job_url(meeting, "minutes", "pdf") in page
    assert _job_url(meeting, "submission", "pdf") in page
    assert f'href="{_document(meeting, "minutes", "pdf")}"' not in page
    assert f'href="{_document(meeting, "minutes", "docx")}"' in page  # Word files are quick

    # The address of the PDF, bookmarked, says where it is made instead.
    response = client.get(_document(meeting, "minutes", "pdf"), follow=True)
    assert response.redirect_chain == [(reverse("awards:meeting", args=[meeting.pk]), 302)]
    assert "Văn bản dài 3 dòng" in response.content.decode()
    assert not Job.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_job_url(meeting, "minutes", "pdf"))
    assert response.url == reverse("jobs:list")
    job = Job.objects.get()
    assert (job.status, job.owner, job.kind) == (Job.Status.DONE, office_user, "document"), (
        job.error
    )
    assert job.result_name == f"Biên bản họp Hội đồng {meeting.held_on:%d-%m-%Y}.pdf"
    download = client.get(reverse("jobs:download", args=[job.pk]))
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    assert "BIÊN BẢN" in text
    for nomination in voted:
        assert nomination.unit.name in text
    assert login(chairman).get(reverse("jobs:download", args=[job.pk])).status_code == 404

    docx = client.get(_document(meeting, "minutes", "docx"))
    assert voted[2].unit.name in " ".join(docx_lines(docx.content))


def test_the_submission_of_a_long_meeting_is_made_in_the_background_too(
    login, meeting, voted, chairman, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCUMENT_LINES = 1
    with django_capture_on_commit_callbacks(execute=True):
        login(chairman).post(_job_url(meeting, "submission", "pdf"))
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    assert job.result_name.startswith("Tờ trình đề nghị khen thưởng")
    with job.result.open("rb") as stored:
        text = "".join(page.extract_text() for page in PdfReader(stored).pages)
    assert "TỜ TRÌNH" in text
    assert voted[0].unit.name in text


def test_a_job_refused_by_a_service_says_why_in_words(org, office_user):
    job = Job.objects.create(organization=org, owner=office_user, kind="document", title="?")
    with pytest.raises(ValidationError), job_running(job.pk):
        raise ValidationError("Chưa có mức lương cơ sở áp dụng ngày 20/12/2024.")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Có lỗi khi thực hiện: Chưa có mức lương cơ sở áp dụng ngày 20/12/2024."
