"""What the council's and the nominees' papers say: the submission (Tờ trình), the
achievement report, the minutes and the certificate, read from the real files."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from campaigns.models import Campaign
from tests.documents.text import docx_lines
from tests.factories import CampaignFactory, MeetingFactory, NominationFactory, award_form

pytestmark = pytest.mark.django_db


def _docx_text(response) -> str:
    assert response.status_code == 200
    return "\n".join(docx_lines(response.content))


def _report(client, nomination) -> str:
    return _docx_text(client.get(reverse("awards:nomination_report", args=[nomination.pk, "docx"])))


# Titles are recognised, forms given ------------------------------------------------------


def test_the_achievement_report_proposes_to_recognise_a_title_and_to_give_a_form(
    login, campaign, unit, office_user
):
    title = NominationFactory(
        campaign=campaign,
        unit=unit,
        kind="individual",
        person_name="Trần Văn Minh",
        award_form=award_form("lao-dong-tien-tien"),
    )
    form = NominationFactory(campaign=campaign, unit=unit)
    client = login(office_user)
    recognised = _report(client, title)
    assert "Đề nghị công nhận danh hiệu “Lao động tiên tiến”" in recognised
    assert "tặng Danh hiệu" not in recognised
    assert "Đề nghị tặng Giấy khen" in _report(client, form)


def test_a_title_certificate_says_recognised_and_a_certificate_of_merit_says_given(
    login, campaign, unit, other_unit, chairman, viewer
):
    title = NominationFactory(
        campaign=campaign,
        unit=unit,
        kind="individual",
        person_name="Trần Văn Minh",
        award_form=award_form("lao-dong-tien-tien"),
        status="passed",
    )
    form = NominationFactory(campaign=campaign, unit=other_unit, status="passed")
    decision = services.decision_issue(
        actor=chairman, nominations=[title, form], decided_on=date(2024, 12, 20)
    )
    client = login(viewer)

    def paper(nomination) -> str:
        award = decision.awards.get(nomination=nomination)
        response = client.get(reverse("awards:certificate", args=[award.pk]))
        return PdfReader(io.BytesIO(response.content)).pages[0].extract_text()

    recognised = paper(title)
    assert "CÔNG NHẬN" in recognised
    assert "TẶNG" not in recognised
    given = paper(form)
    assert "TẶNG" in given
    assert "CÔNG NHẬN" not in given


# How many, of which kinds ------------------------------------------------------------------


@pytest.fixture
def campaign_2025(org):
    return CampaignFactory(organization=org, year=2025, status=Campaign.Status.ISSUED)


def test_the_minutes_and_the_submission_name_the_kinds_of_recipient_present(
    login, campaign_2025, unit, other_unit, office_user
):
    meeting = MeetingFactory(campaign=campaign_2025, held_on=date(2025, 12, 15))
    nominations = [
        NominationFactory(campaign=campaign_2025, unit=unit),
        NominationFactory(
            campaign=campaign_2025,
            unit=other_unit,
            kind="household",
            person_name="Hộ ông Nguyễn Văn Bình",
        ),
    ]
    services.votes_record(actor=office_user, meeting=meeting, votes={n.pk: 9 for n in nominations})
    client = login(office_user)
    minutes = _docx_text(
        client.get(reverse("awards:meeting_document", args=[meeting.pk, "minutes", "docx"]))
    )
    assert "đề nghị khen thưởng 2 tập thể, hộ gia đình đạt số phiếu" in minutes
    assert "thành tích của từng tập thể, hộ gia đình;" in minutes
    submission = _docx_text(
        client.get(reverse("awards:meeting_document", args=[meeting.pk, "submission", "docx"]))
    )
    assert "khen thưởng 2 tập thể, hộ gia đình với tổng số tiền" in submission
