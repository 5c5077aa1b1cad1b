"""A proposal's council minutes at the province: a meeting that voted on many
nominations has its minutes made in the background for whoever asked (the province's
office or the sending commune's), like the commune's own meeting page."""

import pytest
from django.urls import reverse

from danvan.jobs.models import Job
from province.exports import proposal_minutes_for_job
from tests.documents.text import docx_lines, pdf_text
from tests.factories import MeetingFactory, NominationFactory, UnitFactory, member
from tests.province.conftest import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(sent, escalated):
    """The meeting that passed the proposal's nomination, with two other votes."""
    nomination = escalated.nomination
    meeting = MeetingFactory(campaign=nomination.campaign)
    meeting.votes.create(nomination=nomination, votes_in_favour=9)
    for name in ("Tổ dân phố Thạch Hà", "Tổ dân phố Bàn Thạch"):
        other = NominationFactory(
            campaign=nomination.campaign,
            unit=UnitFactory(organization=nomination.organization, name=name),
        )
        meeting.votes.create(nomination=other, votes_in_favour=8)
    return meeting


def _urls(sent, meeting, fmt):
    return (
        reverse("province:minutes", args=[sent.pk, meeting.pk, fmt]),
        reverse("province:minutes_job", args=[sent.pk, meeting.pk, fmt]),
    )


def test_a_short_meetings_minutes_are_links_served_at_once(
    sent, meeting, province_office, login, settings
):
    settings.LONG_DOCUMENT_LINES = 3
    client = login(province_office)
    page = client.get(reverse("province:proposal", args=[sent.pk])).content.decode()
    for fmt in ("docx", "pdf"):
        file_url, job_url = _urls(sent, meeting, fmt)
        assert f'href="{file_url}"' in page
        assert job_url not in page
    docx = client.get(_urls(sent, meeting, "docx")[0])
    assert "Tổ dân phố Bàn Thạch" in " ".join(docx_lines(docx.content))


def test_a_long_meetings_pdf_is_made_in_the_background_for_the_province(
    sent, meeting, province, province_office, login, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCUMENT_LINES = 2
    client = login(province_office)
    page = client.get(reverse("province:proposal", args=[sent.pk])).content.decode()
    pdf_url, pdf_job = _urls(sent, meeting, "pdf")
    assert f'action="{pdf_job}"' in page
    assert f'href="{pdf_url}"' not in page
    assert f'href="{_urls(sent, meeting, "docx")[0]}"' in page  # 3 lines: Word at once

    # The file's address, bookmarked, says where it is made.
    response = client.get(pdf_url, follow=True)
    assert response.redirect_chain == [(reverse("province:proposal", args=[sent.pk]), 302)]
    assert "Văn bản dài 3 dòng nên tệp PDF được tạo trong nền" in response.content.decode()
    assert not Job.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pdf_job)
    assert response.url == reverse("jobs:list")
    job = Job.objects.get()
    assert (job.status, job.owner, job.organization) == (
        Job.Status.DONE,
        province_office,
        province,
    ), job.error
    assert job.result_name == f"Biên bản họp Hội đồng {meeting.held_on:%d-%m-%Y}.pdf"
    assert job.title in client.get(reverse("jobs:list")).content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert "BIÊN BẢN" in text
    assert "Thạch Hà" in text


def test_a_long_meetings_word_file_is_made_in_the_background_for_the_commune_too(
    sent, meeting, org, office_user, login, settings, django_capture_on_commit_callbacks
):
    settings.LONG_DOCX_LINES = 2
    client = login(office_user)
    docx_url, docx_job = _urls(sent, meeting, "docx")
    page = client.get(reverse("province:proposal", args=[sent.pk])).content.decode()
    assert f'action="{docx_job}"' in page
    assert f'href="{docx_url}"' not in page
    assert client.get(docx_url).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(docx_job)
    job = Job.objects.get()
    assert (job.status, job.organization) == (Job.Status.DONE, org), job.error
    with job.result.open("rb") as stored:
        assert "Tổ dân phố Thạch Hà" in " ".join(docx_lines(stored.read()))


def test_nobody_else_starts_a_proposals_minutes_job(
    sent, meeting, escalated, other_province_office, outsider, login, settings
):
    settings.LONG_DOCUMENT_LINES = 1
    colleague = member(sent.commune, Role.UNIT_OFFICER, unit=escalated.nomination.unit)
    _pdf_url, pdf_job = _urls(sent, meeting, "pdf")
    for user in (other_province_office, outsider, colleague):
        assert login(user).post(pdf_job).status_code == 404
    assert not Job.objects.exists()


def test_a_meeting_that_did_not_vote_on_the_nomination_is_not_the_proposals(
    sent, meeting, province, province_office, login
):
    elsewhere = MeetingFactory(campaign=meeting.campaign)
    client = login(province_office)
    for url in _urls(sent, elsewhere, "pdf"):
        assert client.get(url).status_code in (404, 405)
    assert client.post(_urls(sent, elsewhere, "pdf")[1]).status_code == 404
    with pytest.raises(elsewhere.DoesNotExist):
        proposal_minutes_for_job(
            organization=province, proposal_id=sent.pk, meeting_id=elsewhere.pk
        )
    assert not Job.objects.exists()


def test_the_worker_makes_a_proposals_minutes_only_for_its_two_sides(
    sent, meeting, province, other_province, org
):
    for side in (province, org):
        document, name = proposal_minutes_for_job(
            organization=side, proposal_id=sent.pk, meeting_id=meeting.pk
        )
        assert name == f"Biên bản họp Hội đồng {meeting.held_on:%d-%m-%Y}"
        assert document.table_lines == 3
    with pytest.raises(sent.DoesNotExist):
        proposal_minutes_for_job(
            organization=other_province, proposal_id=sent.pk, meeting_id=meeting.pk
        )


def test_the_proposals_page_takes_as_many_queries_for_three_meetings_as_for_one(
    sent, meeting, province_office, login, queries_for, settings
):
    settings.LONG_DOCUMENT_LINES = 2  # a job button for the first meeting, links for the rest
    client = login(province_office)
    url = reverse("province:proposal", args=[sent.pk])
    one = queries_for(client, url)
    for _index in range(2):
        MeetingFactory(campaign=meeting.campaign).votes.create(
            nomination=sent.nomination, votes_in_favour=8
        )
    page = client.get(url).content.decode()
    assert page.count("Biên bản (PDF): tạo trong nền") == 1
    assert page.count("/minutes/") == 6  # each meeting: its Word file and its PDF
    assert queries_for(client, url) == one
