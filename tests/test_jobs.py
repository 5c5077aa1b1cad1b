"""Background jobs: started from a page, run by a django.tasks task (inline in tests),
their progress shown to the user who asked, their file downloadable by that user only."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import AwardDecision
from danvan.accounts.models import Membership
from danvan.jobs.models import Job
from danvan.jobs.services import job_running, job_start
from models_registry.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory, member

pytestmark = pytest.mark.django_db
Status = Registration.Status
JOBS = reverse("jobs:list")


@pytest.fixture
def registrations(org, unit):
    campaign = CampaignFactory(organization=org, status="issued")
    return [
        RegistrationFactory(campaign=campaign, unit=unit, status=status, name=name)
        for status, name in [
            (Status.SUBMITTED, "Dịch vụ công trực tuyến"),
            (Status.ACCEPTED, "Đường hoa nông thôn"),
            (Status.DRAFT, "Bản nháp của đơn vị"),
        ]
    ]


def _download(client, job):
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_background_export_runs_and_only_its_owner_downloads_it(
    login, office_user, outsider, org, registrations, django_capture_on_commit_callbacks
):
    client = login(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("models_registry:export_job"), {"query": "q=dich+vu"})
    assert response.url == JOBS
    job = Job.objects.get()
    assert (job.status, job.owner, job.done, job.total) == (Job.Status.DONE, office_user, 1, 1)
    assert job.task_id
    sheet = load_workbook(io.BytesIO(_download(client, job))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Dịch vụ công trực tuyến"]  # the filter of the page, the office's view
    assert "Xuất danh sách mô hình ra Excel" in client.get(JOBS).content.decode()
    colleague = member(org, Membership.Role.OFFICE)
    for other in (login(colleague), login(outsider)):
        assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404
        assert "Xuất danh sách mô hình ra Excel" not in other.get(JOBS).content.decode()
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE  # nothing changed


def test_the_jobs_page_reloads_itself_while_a_job_runs(login, office_user, org):
    job = Job.objects.create(organization=org, owner=office_user, kind="x", title="Đang làm")
    content = login(office_user).get(JOBS).content.decode()
    assert 'http-equiv="refresh"' in content
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    assert 'http-equiv="refresh"' not in login(office_user).get(JOBS).content.decode()


def test_a_failing_job_says_so_and_has_nothing_to_download(login, office_user, org):
    job = Job.objects.create(organization=org, owner=office_user, kind="x", title="Hỏng")

    def fail():
        with job_running(job.pk) as running:
            running.set_total(3)
            raise RuntimeError("ổ đĩa đầy")

    with pytest.raises(RuntimeError):
        fail()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ổ đĩa đầy" in job.error
    client = login(office_user)
    assert "ổ đĩa đầy" in client.get(JOBS).content.decode()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_job_is_never_run_twice(org, office_user):
    job = Job.objects.create(organization=org, owner=office_user, kind="x", title="Một lần")
    with job_running(job.pk) as running:
        assert running is not None
    with job_running(job.pk) as again:
        assert again is None
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


def test_the_jobs_page_takes_as_many_queries_for_three_jobs_as_for_one(
    login, office_user, org, queries_for
):
    def add():
        Job.objects.create(
            organization=org, owner=office_user, kind="x", title="Xong", status=Job.Status.DONE
        )

    client = login(office_user)
    add()
    one = queries_for(client, JOBS)
    add()
    add()
    assert queries_for(client, JOBS) == one


def test_all_certificates_of_a_decision_in_one_pdf(login, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    call_command(
        "seed_scale",
        organizations=1,
        registrations_per_org=40,
        years=2,
        last_year=2025,
        stdout=io.StringIO(),
    )
    decision = AwardDecision.objects.get()
    office = Membership.objects.get(role="office").user
    client = login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:decision_certificates", args=[decision.pk]))
    assert response.url == JOBS
    job = Job.objects.get(kind="certificates")
    assert job.status == Job.Status.DONE, job.error
    pages = PdfReader(io.BytesIO(_download(client, job))).pages
    assert len(pages) == decision.awards.count() == job.total
    assert decision.awards.first().recipient_name in pages[0].extract_text()
    # Numbers restart every year: the file name says which year's decision it is.
    number = decision.issued_document.number_symbol.replace("/", "-")
    assert job.result_name == f"Giấy khen theo Quyết định {number} {decision.decided_on.year}.pdf"


def test_certificates_of_another_organisations_decision_cannot_be_started(login, outsider):
    call_command(
        "seed_scale",
        organizations=1,
        registrations_per_org=40,
        years=2,
        last_year=2025,
        stdout=io.StringIO(),
    )
    decision = AwardDecision.objects.get()
    response = login(outsider).post(reverse("awards:decision_certificates", args=[decision.pk]))
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_plan_renders_in_the_background(org, office_user, django_capture_on_commit_callbacks):
    from danvan.documents.tasks import render_document

    campaign = CampaignFactory(organization=org)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=office_user,
            organization=org,
            kind="document",
            title="Dự thảo kế hoạch",
            task=render_document,
            builder="campaign_plan_draft",
            fmt="pdf",
            arguments={"campaign_id": campaign.pk},
        )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result_name == f"Dự thảo kế hoạch {campaign.year}.pdf"
    with job.result.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_an_unknown_document_builder_fails_the_job(org, office_user):
    from danvan.documents.tasks import render_document

    job = Job.objects.create(organization=org, owner=office_user, kind="document", title="?")
    with pytest.raises(ValueError, match="Unknown document builder"):
        render_document.call(job.pk, "nothing", "pdf", {})
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_the_reminders_can_be_queued_instead_of_run():
    out = io.StringIO()
    call_command("send_evaluation_reminders", enqueue=True, stdout=out)
    assert "Queued the reminders" in out.getvalue()


def test_a_long_list_is_exported_only_in_the_background(
    login, office_user, registrations, settings
):
    settings.LONG_EXPORT_ROWS = 1  # the office sees two registrations (not the draft)
    client = login(office_user)
    page = client.get(reverse("models_registry:list")).content.decode()
    assert reverse("models_registry:export_job") in page
    assert f'href="{reverse("models_registry:export")}"' not in page
    response = client.get(reverse("models_registry:export"), {"q": "dich vu"})
    assert response.status_code == 200  # one registration matches: exported at once
    b"".join(response.streaming_content)
    response = client.get(reverse("models_registry:export"), {"status": ""}, follow=True)
    assert response.redirect_chain == [(reverse("models_registry:list") + "?status=", 302)]
    assert "Danh sách có hơn 1 mô hình nên được xuất trong nền" in response.content.decode()
    assert not Job.objects.exists()
