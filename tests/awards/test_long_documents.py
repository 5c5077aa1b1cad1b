"""Documents too long to render while the reader waits (``settings.LONG_DOCUMENT_LINES``):
a council meeting's PDFs are made by a background job, the Word files still at once."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from awards import services
from awards.models import AwardDecision
from danvan.documents.models import IssuedDocument
from danvan.documents.tasks import render_issued
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
    settings.LONG_DOCUMENT_LINES = 4  # three votes, and the submission's line of the total
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


def test_a_meeting_too_long_for_a_word_file_at_once_makes_it_in_the_background(
    login, meeting, voted, office_user, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCX_LINES = 2
    client = login(office_user)
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    for document in ("minutes", "submission"):
        assert f'action="{_job_url(meeting, document, "docx")}"' in page
        assert f'href="{_document(meeting, document, "docx")}"' not in page
        assert f'href="{_document(meeting, document, "pdf")}"' in page  # PDFs: 300 lines

    response = client.get(_document(meeting, "minutes", "docx"), follow=True)
    assert "Văn bản dài 3 dòng nên tệp DOCX được tạo trong nền" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_job_url(meeting, "submission", "docx"))
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    assert job.result_name == f"Tờ trình đề nghị khen thưởng {meeting.held_on:%d-%m-%Y}.docx"
    with job.result.open("rb") as stored:
        lines = docx_lines(stored.read())
    assert "TỜ TRÌNH" in lines
    assert voted[0].unit.name in " ".join(lines)


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


QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_long_decision_is_numbered_at_once_and_its_files_made_by_the_worker(
    login, passed, chairman, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCUMENT_LINES = 1
    settings.TASKS = QUEUED
    client = login(chairman)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:awards_nomination_changelist"),
            {
                "action": "approve_nominations",
                "_selected_action": [n.pk for n in passed],
                "post": "yes",
                "decided_on": "2024-12-20",
            },
            follow=True,
        )
    decision = AwardDecision.objects.get()
    issued = decision.issued_document
    assert issued.status == IssuedDocument.Status.PENDING
    assert "tệp quyết định đang được tạo trong nền" in response.content.decode()
    page = client.get(reverse("awards:decision", args=[decision.pk])).content.decode()
    assert "đang được tạo; tải lại trang sau ít phút" in page
    assert (
        client.get(reverse("awards:decision_download", args=[decision.pk, "pdf"])).status_code
        == 404
    )

    # What the worker (manage.py db_worker) runs: the task queued for this document.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "danvan.documents.tasks.render_issued"
    assert queued.args_kwargs["args"] == [issued.pk, chairman.pk]
    render_issued.call(*queued.args_kwargs["args"])

    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.ISSUED, issued.render_error
    download = client.get(reverse("awards:decision_download", args=[decision.pk, "pdf"]))
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    assert issued.number_symbol.split("/")[0] in text
    assert "Nguyễn Thị Hồng" in text


def test_a_short_decision_is_issued_with_its_files_at_once(
    login, passed, chairman, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCUMENT_LINES = 3  # two awardees and the line of the total
    settings.TASKS = QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_issue(
            actor=chairman, nominations=passed, decided_on=date(2024, 12, 20)
        )
    assert decision.issued_document.status == IssuedDocument.Status.ISSUED
    assert not DBTaskResult.objects.exists()


def _issue_long_decision(passed, chairman, settings, capture):
    settings.LONG_DOCUMENT_LINES = 1
    settings.TASKS = QUEUED
    with capture(execute=True):
        return services.decision_issue(
            actor=chairman, nominations=passed, decided_on=date(2024, 12, 20)
        )


def _render_tasks() -> int:
    return DBTaskResult.objects.filter(task_path="danvan.documents.tasks.render_issued").count()


def test_while_the_worker_makes_a_long_documents_files_its_page_offers_no_second_go(
    login, passed, chairman, settings, django_capture_on_commit_callbacks
):
    decision = _issue_long_decision(passed, chairman, settings, django_capture_on_commit_callbacks)
    back = reverse("awards:decision", args=[decision.pk])
    client = login(chairman)
    page = client.get(back).content.decode()
    assert "đang được tạo; tải lại trang sau ít phút" in page
    assert "Tạo lại tệp văn bản" not in page
    # A second tab's button, pressed anyway: nothing more is queued.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:render", args=[decision.issued_document_id]),
            {"next": back},
            follow=True,
        )
    assert "đang được tạo; tải lại trang sau ít phút" in response.content.decode()
    assert _render_tasks() == 1


def test_a_long_document_the_worker_has_not_made_in_time_is_offered_to_be_made_again(
    login, passed, chairman, settings, django_capture_on_commit_callbacks
):
    decision = _issue_long_decision(passed, chairman, settings, django_capture_on_commit_callbacks)
    queued = IssuedDocument.objects.get(pk=decision.issued_document_id).render_queued_at
    back = reverse("awards:decision", args=[decision.pk])
    with time_machine.travel(queued + timedelta(minutes=settings.RENDER_PATIENCE_MINUTES)):
        page = login(chairman).get(back).content.decode()
    assert "đã được cấp số nhưng chưa có tệp" in page
    assert "Tạo lại tệp văn bản" in page


def test_making_a_long_documents_files_again_queues_them_and_says_so(
    login, passed, chairman, settings, django_capture_on_commit_callbacks
):
    decision = _issue_long_decision(passed, chairman, settings, django_capture_on_commit_callbacks)
    IssuedDocument.objects.filter(pk=decision.issued_document_id).update(
        render_queued_at=timezone.now() - timedelta(minutes=settings.RENDER_PATIENCE_MINUTES)
    )
    back = reverse("awards:decision", args=[decision.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(chairman).post(
            reverse("documents:render", args=[decision.issued_document_id]),
            {"next": back},
            follow=True,
        )
    assert response.redirect_chain == [(back, 302)]
    number = decision.issued_document.number_symbol
    assert f"Văn bản số {number} đang được tạo; tải lại trang sau ít phút." in (
        response.content.decode()
    )
    assert _render_tasks() == 2
    decision.issued_document.refresh_from_db()
    assert decision.issued_document.status == IssuedDocument.Status.PENDING
    assert timezone.now() - decision.issued_document.render_queued_at < timedelta(minutes=1)


def test_a_long_document_that_failed_says_it_is_being_made_once_queued_again(
    login, passed, chairman, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCUMENT_LINES = 1
    settings.TASKS = QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_issue(
            actor=chairman, nominations=passed, decided_on=date(2024, 12, 20)
        )
    IssuedDocument.objects.filter(pk=decision.issued_document_id).update(
        render_error="KeyError: the seal's key"
    )
    back = reverse("awards:decision", args=[decision.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(chairman).post(
            reverse("documents:render", args=[decision.issued_document_id]),
            {"next": back},
            follow=True,
        )
    content = response.content.decode()
    assert "đang được tạo; tải lại trang sau ít phút" in content
    assert "Chưa tạo được tệp văn bản" not in content
    assert IssuedDocument.objects.get(pk=decision.issued_document_id).render_error == ""


def test_a_meeting_whose_submission_is_one_line_too_long_offers_it_in_the_background(
    login, meeting, voted, office_user, settings
):
    # Three votes: if all pass, the submission has a line more, its total.
    settings.LONG_DOCUMENT_LINES = 3
    client = login(office_user)
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert _job_url(meeting, "submission", "pdf") in page
    assert f'href="{_document(meeting, "submission", "pdf")}"' not in page
