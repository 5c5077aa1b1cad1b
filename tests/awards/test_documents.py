"""What the council's and the nominees' papers say: the submission (Tờ trình), the
achievement report, the minutes and the certificate, read from the real files."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from awards import services
from campaigns.models import Campaign
from danvan.text import thousands
from tests.documents.text import docx_document, docx_lines
from tests.factories import CampaignFactory, MeetingFactory, NominationFactory, award_form

pytestmark = pytest.mark.django_db


def _docx_text(response) -> str:
    assert response.status_code == 200
    return "\n".join(docx_lines(response.content))


def _report(client, nomination) -> str:
    return _docx_text(client.get(reverse("awards:nomination_report", args=[nomination.pk, "docx"])))


@pytest.fixture
def campaign_2025(org):
    return CampaignFactory(organization=org, year=2025, status=Campaign.Status.ISSUED)


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


# The office's submission (Tờ trình) ------------------------------------------------------


def _submission(client, meeting) -> list[str]:
    url = reverse("awards:meeting_document", args=[meeting.pk, "submission", "docx"])
    response = client.get(url)
    assert response.status_code == 200
    return docx_lines(response.content)


def _closing(lines: list[str]) -> list[str]:
    return lines[lines.index("Nơi nhận:") :]


def test_the_submission_is_dated_and_priced_as_of_the_meeting_not_the_download(
    login, meeting, campaign, unit, office_user
):
    nomination = NominationFactory(campaign=campaign, unit=unit)
    services.votes_record(actor=office_user, meeting=meeting, votes={nomination.pk: 8})
    with time_machine.travel(date(2026, 8, 3), tick=False):  # base salary 2.530.000 since 1/7
        lines = _submission(login(office_user), meeting)
    text = "\n".join(lines)
    assert "ngày 15 tháng 12 năm 2024" in text  # the meeting's day
    assert "Mức lương cơ sở áp dụng: 2.340.000 đồng." in text
    # Giấy khen to a collective until 30/6/2025: 0.3 × 2.340.000, rounded up to 10.000.
    assert "Tổng cộng\n710.000" in text


def test_once_decided_the_submission_is_dated_and_priced_as_the_decision(
    login, campaign_2025, unit, other_unit, office_user, chairman
):
    meeting = MeetingFactory(campaign=campaign_2025, held_on=date(2025, 12, 15))
    nominations = [
        NominationFactory(campaign=campaign_2025, unit=unit),
        NominationFactory(
            campaign=campaign_2025, unit=other_unit, kind="individual", person_name="Lê Văn An"
        ),
    ]
    services.votes_record(actor=office_user, meeting=meeting, votes={n.pk: 9 for n in nominations})
    decision = services.decision_issue(
        actor=chairman, nominations=nominations, decided_on=date(2025, 12, 19)
    )
    text = "\n".join(_submission(login(office_user), meeting))
    assert "ngày 19 tháng 12 năm 2025" in text
    assert f"tổng số tiền {thousands(decision.total_vnd)} đồng" in text
    assert "Mức lương cơ sở áp dụng: 2.340.000 đồng." in text  # not today's 2.530.000


@pytest.mark.parametrize("reader", ["chairman", "office_user"])
def test_the_submission_is_signed_by_the_office_never_by_whoever_downloads_it(
    request, login, meeting, campaign, unit, reader
):
    nomination = NominationFactory(campaign=campaign, unit=unit)
    office = request.getfixturevalue("office_user")
    services.votes_record(actor=office, meeting=meeting, votes={nomination.pk: 8})
    user = request.getfixturevalue(reader)
    closing = _closing(_submission(login(user), meeting))
    assert campaign.organization.office_name.upper() in closing
    assert user.full_name not in "\n".join(closing)


# How many, of which kinds ------------------------------------------------------------------


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


# Who signs -------------------------------------------------------------------------------


def _closing_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    closing = docx_document(response.content).tables[-1]
    return [[cell.text.strip() for cell in row.cells] for row in closing.rows]


def test_the_minutes_are_signed_by_the_secretary_and_the_chair_side_by_side(
    login, meeting, campaign, unit, office_user
):
    nomination = NominationFactory(campaign=campaign, unit=unit)
    services.votes_record(actor=office_user, meeting=meeting, votes={nomination.pk: 8})
    url = reverse("awards:meeting_document", args=[meeting.pk, "minutes", "docx"])
    response = login(office_user).get(url)
    rows = _closing_rows(response)
    assert rows[0] == ["THƯ KÝ", "CHỦ TRÌ"]
    assert rows[1] == [meeting.secretary, meeting.chair]
    assert not any(line.startswith("THƯ KÝ:") for line in docx_lines(response.content))


def test_a_persons_achievement_report_is_signed_by_the_person_and_confirmed_by_the_head(
    login, campaign, unit, office_user
):
    person = NominationFactory(
        campaign=campaign, unit=unit, kind="individual", person_name="Trần Văn Minh"
    )
    url = reverse("awards:nomination_report", args=[person.pk, "docx"])
    rows = _closing_rows(login(office_user).get(url))
    assert rows[0] == ["XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ", "NGƯỜI BÁO CÁO THÀNH TÍCH"]
    assert rows[1] == ["", "Trần Văn Minh"]  # the head's name is left to be signed


def test_a_collectives_achievement_report_is_signed_by_the_units_head(
    login, campaign, unit, office_user
):
    collective = NominationFactory(campaign=campaign, unit=unit)
    url = reverse("awards:nomination_report", args=[collective.pk, "docx"])
    rows = _closing_rows(login(office_user).get(url))
    assert rows[0] == ["Nơi nhận:", "THỦ TRƯỞNG ĐƠN VỊ"]
    assert rows[1][1] == ""
