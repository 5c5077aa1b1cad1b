import io
from datetime import date
from urllib.parse import unquote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from awards import selectors, services
from awards.forms import MODELS_TO_CHOOSE_FROM
from awards.models import Nomination, Vote
from awards.views import AWARDS_PER_PAGE, HOME_NOMINATIONS, MEETING_PAGE, NOMINATIONS_PER_PAGE
from danvan.text import vnd
from models_registry.models import Registration
from tests.documents.text import docx_lines
from tests.factories import NominationFactory, RegistrationFactory, UnitFactory, award_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(passed, chairman):
    return services.decision_issue(
        actor=chairman, nominations=passed, decided_on=date(2024, 12, 20)
    )


@pytest.fixture
def before_deadline():
    with time_machine.travel(date(2024, 12, 1), tick=False):
        yield


def test_a_unit_officer_nominates_from_the_page(
    login, campaign, unit, unit_officer, before_deadline
):
    response = login(unit_officer).post(
        reverse("awards:nominate", args=[campaign.pk]),
        {
            "kind": "collective",
            "unit": unit.pk,
            "award_form": award_form().pk,
            "achievements": "Thành tích tốt.",
        },
    )
    nomination = Nomination.objects.get()
    assert response["Location"] == reverse("awards:nomination", args=[nomination.pk])
    assert nomination.proposed_by == unit_officer


def test_a_duplicate_nomination_gets_a_clear_message_and_keeps_the_text(
    login, campaign, unit, unit_officer, before_deadline
):
    client = login(unit_officer)
    data = {
        "kind": "collective",
        "unit": unit.pk,
        "award_form": award_form().pk,
        "achievements": "Thành tích tốt.",
    }
    client.post(reverse("awards:nominate", args=[campaign.pk]), data)
    response = client.post(
        reverse("awards:nominate", args=[campaign.pk]), {**data, "achievements": "Lần hai, đã gõ."}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "đã được đề nghị khen thưởng cho cùng thành tích" in content
    assert "Lần hai, đã gõ." in content


def test_among_hundreds_of_recognised_models_the_office_types_the_models_code(
    login, campaign, unit, office_user, before_deadline
):
    RegistrationFactory.create_batch(
        MODELS_TO_CHOOSE_FROM + 1, campaign=campaign, unit=unit, status="recognised"
    )
    chosen = Registration.objects.filter(campaign=campaign).order_by("sequence").last()
    client = login(office_user)
    url = reverse("awards:nominate", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert '<input type="text" name="registration"' in page
    assert "<option" not in page.split('name="registration"')[1].split("</div>")[0]
    data = {"kind": "model", "award_form": award_form().pk, "achievements": "Thành tích."}
    response = client.post(url, {**data, "registration": "DVK-1999-999"})
    content = response.content.decode()
    assert "Không có mô hình đã được công nhận nào của phong trào mang mã này." in content
    assert 'value="DVK-1999-999"' in content  # what was typed stays
    assert not Nomination.objects.exists()
    response = client.post(url, {**data, "registration": chosen.code})
    nomination = Nomination.objects.get()
    assert nomination.registration == chosen
    assert response["Location"] == reverse("awards:nomination", args=[nomination.pk])


def test_among_a_few_recognised_models_the_office_picks_one_from_a_list(
    login, campaign, unit, office_user, before_deadline
):
    recognised = RegistrationFactory(campaign=campaign, unit=unit, status="recognised")
    page = login(office_user).get(reverse("awards:nominate", args=[campaign.pk])).content.decode()
    assert f'<option value="{recognised.pk}">' in page


def test_after_the_deadline_the_form_says_so(login, campaign, unit, unit_officer):
    with time_machine.travel(date(2024, 12, 11), tick=False):
        response = login(unit_officer).post(
            reverse("awards:nominate", args=[campaign.pk]),
            {
                "kind": "collective",
                "unit": unit.pk,
                "award_form": award_form().pk,
                "achievements": "x",
            },
        )
    assert "Đã hết hạn đề nghị khen thưởng (10/12/2024)." in response.content.decode()


def test_an_uploaded_report_must_be_a_real_pdf_or_docx(
    login, campaign, unit, unit_officer, before_deadline
):
    fake = SimpleUploadedFile("bao-cao.pdf", b"not a pdf at all", content_type="application/pdf")
    response = login(unit_officer).post(
        reverse("awards:nominate", args=[campaign.pk]),
        {
            "kind": "collective",
            "unit": unit.pk,
            "award_form": award_form().pk,
            "achievements": "x",
            "report": fake,
        },
    )
    assert response.status_code == 200
    assert "không phải PDF" in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_generated_achievement_report_carries_the_nominee_and_the_achievements(
    login, campaign, unit, office_user
):
    nomination = NominationFactory(
        campaign=campaign, unit=unit, achievements="Hướng dẫn 950 lượt người dân."
    )
    response = login(office_user).get(
        reverse("awards:nomination_report", args=[nomination.pk, "docx"])
    )
    text = " ".join(docx_lines(response.content))
    assert "BÁO CÁO THÀNH TÍCH" in text
    assert unit.name in text
    assert "Hướng dẫn 950 lượt người dân." in text


def test_office_records_votes_and_bad_counts_keep_the_form(
    login, meeting, campaign, office_user, unit, other_unit
):
    first = NominationFactory(campaign=campaign, unit=unit)
    second = NominationFactory(campaign=campaign, unit=other_unit)
    client = login(office_user)
    url = reverse("awards:meeting", args=[meeting.pk])
    response = client.post(url, {f"votes_{first.pk}": "8", f"votes_{second.pk}": "12"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "lớn hơn số thành viên có mặt" in content
    assert 'value="12"' in content
    # The message is tied to the box it is about, and each box is labelled by its nominee.
    field = f"id_votes_{second.pk}"
    assert f'aria-describedby="{field}_helptext {field}_error"' in content
    assert f'<div id="{field}_error" class="invalid-feedback">' in content
    assert f'<label for="{field}" class="form-label">{second.nominee_name}</label>' in content
    assert f'aria-invalid="true" class="form-control is-invalid" id="{field}"' in content
    assert not Vote.objects.exists()
    response = client.post(url, {f"votes_{first.pk}": "8", f"votes_{second.pk}": "3"})
    assert response.status_code == 302
    assert Nomination.objects.get(pk=first.pk).status == "passed"


def _people(campaign, unit, count: int) -> list[Nomination]:
    """``count`` nominations of the unit's people, in the order they were made."""
    return [
        NominationFactory(
            campaign=campaign, unit=unit, kind="individual", person_name=f"Người thứ {index}"
        )
        for index in range(count)
    ]


def test_a_council_of_many_nominations_records_its_votes_a_page_at_a_time(
    login, meeting, campaign, unit, office_user
):
    nominations = _people(campaign, unit, MEETING_PAGE + 1)
    last = max(nominations, key=lambda n: (n.kind, n.pk))
    client = login(office_user)
    url = reverse("awards:meeting", args=[meeting.pk])
    first = client.get(url)
    assert len(first.context["form"].fields) == MEETING_PAGE
    assert f"votes_{last.pk}" not in first.context["form"].fields
    assert "Đề nghị 1–100 trong 101" in first.content.decode()
    second_page = f"{url}?ballot=2"
    shown = client.get(second_page).context["form"].nominations
    assert shown == [last]
    # Meanwhile a nomination of the first page is withdrawn: the list has one page left,
    # but the votes typed are for the nominations the form showed.
    Nomination.objects.filter(pk=min(n.pk for n in nominations)).update(status="withdrawn")
    response = client.post(second_page, {"shown": [last.pk], f"votes_{last.pk}": "8"})
    assert response["Location"] == second_page
    assert Vote.objects.get().nomination == last
    assert Nomination.objects.get(pk=last.pk).status == "passed"
    assert Nomination.objects.filter(status="proposed").count() == MEETING_PAGE - 1
    page = client.get(second_page)
    assert page.context["form"][f"votes_{last.pk}"].value() == 8


def test_a_campaigns_nominations_are_listed_a_hundred_at_a_time(login, campaign, unit, office_user):
    for index in range(NOMINATIONS_PER_PAGE + 1):
        NominationFactory(
            campaign=campaign, unit=unit, kind="individual", person_name=f"Người số {index:03d}"
        )
    client = login(office_user)
    url = reverse("awards:campaign", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "Người số 000" in page
    assert "Người số 100" not in page
    assert "Trang 1/2" in page
    assert "Người số 100" in client.get(url, {"page": 2}).content.decode()


def test_a_decisions_page_lists_its_awards_a_hundred_at_a_time_with_the_whole_total(
    login, campaign, unit, chairman
):
    nominations = [
        NominationFactory(
            campaign=campaign,
            unit=unit,
            kind="individual",
            person_name=f"Người số {index:03d}",
            status="passed",
        )
        for index in range(AWARDS_PER_PAGE + 1)
    ]
    decision = services.decision_issue(
        actor=chairman, nominations=nominations, decided_on=date(2024, 12, 20)
    )
    client = login(chairman)
    url = reverse("awards:decision", args=[decision.pk])
    first = client.get(url).content.decode()
    last = decision.awards.order_by("position").last()
    assert last.recipient_name not in first
    assert "101 khen thưởng" in first
    assert vnd(decision.total_vnd, "đ") in first
    assert last.recipient_name in client.get(url, {"page": 2}).content.decode()
    # The back office shows the first hundred and sends to this page for the rest.
    admin_page = client.get(
        reverse("admin:awards_awarddecision_change", args=[decision.pk])
    ).content.decode()
    assert f'<a href="{url}">Xem tất cả 101 khen thưởng trên trang quyết định</a>' in admin_page
    assert last.recipient_name not in admin_page
    # Each award in force has its own reason box, posting to its own address.
    second = client.get(url, {"page": 2}).content.decode()
    assert f'action="{reverse("awards:revoke", args=[last.pk])}"' in second
    assert f'<label class="form-label" for="revoke-reason-{last.pk}">Lý do</label>' in second
    assert f'id="revoke-reason-{last.pk}" name="reason"' in second
    # Revoking the last award returns to the page that lists it.
    response = client.post(reverse("awards:revoke", args=[last.pk]), {"reason": "Trùng tên."})
    assert response["Location"] == f"{url}?page=2"
    assert decision.awards.get(pk=last.pk).revoked_reason == "Trùng tên."


def test_the_minutes_and_the_submission_print_the_vote(login, meeting, campaign, office_user, unit):
    nomination = NominationFactory(campaign=campaign, unit=unit)
    services.votes_record(actor=office_user, meeting=meeting, votes={nomination.pk: 8})
    client = login(office_user)
    minutes = " ".join(
        docx_lines(
            client.get(
                reverse("awards:meeting_document", args=[meeting.pk, "minutes", "docx"])
            ).content
        )
    )
    assert "BIÊN BẢN" in minutes
    assert "Họp Hội đồng Thi đua – Khen thưởng" in minutes
    assert "8/10" in minutes
    assert unit.name in minutes
    submission = " ".join(
        docx_lines(
            client.get(
                reverse("awards:meeting_document", args=[meeting.pk, "submission", "docx"])
            ).content
        )
    )
    assert "TỜ TRÌNH" in submission
    assert unit.name in submission


def test_the_certificate_is_a_landscape_pdf_naming_the_awardee(login, decision, viewer):
    award = decision.awards.first()
    response = login(viewer).get(reverse("awards:certificate", args=[award.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = page.extract_text()
    assert "GIẤY KHEN" in text
    assert award.recipient_name in text


def test_the_decision_page_and_files_are_for_members_only(login, decision, viewer, outsider):
    for page in (
        reverse("awards:decision", args=[decision.pk]),
        reverse("awards:decision_download", args=[decision.pk, "pdf"]),
    ):
        response = login(viewer).get(page)
        assert response.status_code == 200
        if response.streaming:  # read to the end, which closes the file
            b"".join(response.streaming_content)
        assert login(outsider).get(page).status_code == 404
    download = login(viewer).get(reverse("awards:decision_download", args=[decision.pk, "pdf"]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        login(outsider)
        .get(reverse("awards:certificate", args=[decision.awards.first().pk]))
        .status_code
        == 404
    )


def test_a_revoked_award_shows_its_history_and_leaves_the_honour_board(
    login, decision, chairman, viewer
):
    award = decision.awards.first()
    client = login(chairman)
    client.post(reverse("awards:revoke", args=[award.pk]), {"reason": "Vi phạm quy định."})
    content = client.get(reverse("awards:decision", args=[decision.pk])).content.decode()
    assert "Vi phạm quy định." in content
    board = login(viewer).get(reverse("awards:honours")).content.decode()
    assert award.recipient_name not in board
    assert decision.awards.last().recipient_name in board


def test_the_honour_board_is_public_only_if_the_organisation_says_so(client, decision, org):
    url = reverse("public_honours", args=[org.code])
    assert client.get(url).status_code == 404
    org.honour_board_public = True
    org.save()
    response = client.get(url)
    assert response.status_code == 200
    assert decision.awards.first().recipient_name in response.content.decode()


def test_the_honour_board_shows_one_year_at_a_time_the_newest_first(
    login, decision, campaign, chairman, viewer
):
    later = services.decision_issue(
        actor=chairman,
        nominations=[
            NominationFactory(
                campaign=campaign,
                unit=UnitFactory(organization=campaign.organization, name="Tổ dân phố Mới"),
                status="passed",
            )
        ],
        decided_on=date(2025, 1, 6),
    )
    client = login(viewer)
    board = client.get(reverse("awards:honours")).content.decode()
    assert 'aria-current="page" href="?year=2025">2025</a>' in board
    assert 'href="?year=2024">2024</a>' in board
    assert later.awards.get().recipient_name in board
    assert decision.awards.first().recipient_name not in board
    older = client.get(reverse("awards:honours"), {"year": "2024"}).content.decode()
    for award in decision.awards.all():
        assert award.recipient_name in older
    assert later.awards.get().recipient_name not in older
    for wrong in ("2023", "abc", "２０２４"):
        shown = client.get(reverse("awards:honours"), {"year": wrong}).content.decode()
        assert later.awards.get().recipient_name in shown  # the newest year


def test_unit_officers_see_their_units_nominations_only(
    login, campaign, unit, other_unit, unit_officer, other_unit_officer
):
    own = NominationFactory(campaign=campaign, unit=unit)
    other = NominationFactory(campaign=campaign, unit=other_unit)
    client = login(unit_officer)
    assert client.get(reverse("awards:nomination", args=[own.pk])).status_code == 200
    assert client.get(reverse("awards:nomination", args=[other.pk])).status_code == 404
    assert client.get(reverse("awards:campaign", args=[campaign.pk])).status_code == 404


@pytest.mark.parametrize("name", ["home", "honours"])
def test_another_organisations_users_see_nothing_of_ours(
    login, decision, outsider, office_user, name
):
    recipient = decision.awards.first().recipient_name
    assert recipient not in login(outsider).get(reverse(f"awards:{name}")).content.decode()
    # Positive control: the organisation's own office sees it on the same page.
    assert recipient in login(office_user).get(reverse(f"awards:{name}")).content.decode()


def test_another_organisations_escalations_stay_apart(login, campaign, unit, office_user, outsider):
    nomination = NominationFactory(
        campaign=campaign,
        unit=unit,
        award_form=award_form("bang-khen-chu-tich-tinh"),
        status="passed",
        person_name="",
    )
    services.escalation_send(
        actor=office_user, nomination=nomination, sent_to="UBND tỉnh", sent_on=date(2024, 12, 23)
    )
    page = reverse("awards:escalations")
    assert nomination.nominee_name in login(office_user).get(page).content.decode()
    assert nomination.nominee_name not in login(outsider).get(page).content.decode()


def test_viewers_cannot_reach_the_awards_desk(login, viewer, campaign):
    assert login(viewer).get(reverse("awards:home")).status_code == 404
    assert login(viewer).get(reverse("awards:nominate", args=[campaign.pk])).status_code == 404


def test_a_higher_level_nomination_is_sent_up_from_its_page(login, campaign, unit, office_user):
    nomination = NominationFactory(
        campaign=campaign,
        unit=unit,
        award_form=award_form("bang-khen-chu-tich-tinh"),
        status="passed",
    )
    response = login(office_user).post(
        reverse("awards:nomination_escalate", args=[nomination.pk]),
        {"sent_to": "UBND tỉnh", "sent_on": "2024-12-23"},
    )
    assert response.status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).status == "escalated"


@time_machine.travel(date(2024, 12, 23), tick=False)
def test_a_refused_escalation_keeps_what_was_typed_and_says_why(login, campaign, unit, office_user):
    nomination = NominationFactory(
        campaign=campaign,
        unit=unit,
        award_form=award_form("bang-khen-chu-tich-tinh"),
        status="passed",
    )
    url = reverse("awards:nomination_escalate", args=[nomination.pk])
    client = login(office_user)
    for sent_on, message in (
        ("31/02/2024", "Nhập một ngày hợp lệ."),
        ("23/12/2025", "Ngày gửi không được sau hôm nay."),
    ):
        response = client.post(
            url, {"sent_to": "UBND tỉnh", "sent_on": sent_on, "reference": "15/TTr-UBND"}
        )
        assert response.status_code == 200
        assert response.context["escalation_form"].errors["sent_on"] == [message]
        assert 'value="15/TTr-UBND"' in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == "passed"


@time_machine.travel(date(2024, 12, 15), tick=False)
def test_a_meeting_sent_twice_is_recorded_once_and_one_not_yet_held_is_refused(
    login, campaign, office_user
):
    from awards.models import CouncilMeeting

    url = reverse("awards:meeting_create", args=[campaign.pk])
    client = login(office_user)
    data = {
        "held_on": "15/12/2024",
        "location": "Hội trường B",
        "total_members": "9",
        "present": "8",
        "chair": "Lê Duy Bảo",
        "secretary": "Nguyễn Thị Lan",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "location": " hội trường  b "})
    assert again.status_code == 200
    assert "đã được ghi" in again.content.decode()
    later = client.post(url, {**data, "held_on": "16/12/2024"})
    assert later.context["form"].errors["held_on"] == ["Ngày họp không được sau hôm nay."]
    assert CouncilMeeting.objects.filter(campaign=campaign).count() == 1


# Query counts ------------------------------------------------------------------------------


def _grow(campaign, count=1):
    for _index in range(count):
        NominationFactory(
            campaign=campaign, unit=UnitFactory(organization=campaign.organization), status="passed"
        )


@pytest.mark.parametrize("name", ["home", "campaign", "meeting"])
def test_awards_pages_take_as_many_queries_for_three_nominations_as_for_one(
    login, campaign, meeting, office_user, queries_for, name
):
    client = login(office_user)
    url = {
        "home": reverse("awards:home"),
        "campaign": reverse("awards:campaign", args=[campaign.pk]),
        "meeting": reverse("awards:meeting", args=[meeting.pk]),
    }[name]
    _grow(campaign)
    one = queries_for(client, url)
    _grow(campaign, 2)
    assert queries_for(client, url) == one


@pytest.mark.parametrize("name", ["decision", "honours", "minutes", "submission"])
def test_decision_pages_take_as_many_queries_for_three_awards_as_for_one(
    login, campaign, meeting, chairman, office_user, queries_for, name
):
    def issue(count):
        nominations = [
            NominationFactory(
                campaign=campaign, unit=UnitFactory(organization=campaign.organization)
            )
            for _i in range(count)
        ]
        services.votes_record(
            actor=office_user, meeting=meeting, votes={n.pk: 9 for n in nominations}
        )
        return services.decision_issue(
            actor=chairman, nominations=nominations, decided_on=date(2024, 12, 20)
        )

    def url(decision):
        return {
            "decision": reverse("awards:decision", args=[decision.pk]),
            "honours": reverse("awards:honours"),
            "minutes": reverse("awards:meeting_document", args=[meeting.pk, "minutes", "pdf"]),
            "submission": reverse(
                "awards:meeting_document", args=[meeting.pk, "submission", "pdf"]
            ),
        }[name]

    client = login(office_user)
    small = issue(1)
    one = queries_for(client, url(small))
    big = issue(3)
    target = url(big) if name == "decision" else url(small)
    assert queries_for(client, target) == one


def test_the_escalations_page_takes_as_many_queries_for_three_as_for_one(
    login, campaign, office_user, queries_for
):
    client = login(office_user)

    def send():
        nomination = NominationFactory(
            campaign=campaign,
            unit=UnitFactory(organization=campaign.organization),
            award_form=award_form("bang-khen-chu-tich-tinh"),
            status="passed",
        )
        services.escalation_send(
            actor=office_user,
            nomination=nomination,
            sent_to="UBND tỉnh",
            sent_on=date(2024, 12, 23),
        )

    send()
    one = queries_for(client, reverse("awards:escalations"))
    send()
    send()
    assert queries_for(client, reverse("awards:escalations")) == one


def test_the_nomination_form_takes_as_many_queries_for_three_units_and_models_as_for_one(
    login, campaign, office_user, queries_for
):
    from models_registry.models import Registration
    from tests.factories import RegistrationFactory

    client = login(office_user)
    url = reverse("awards:nominate", args=[campaign.pk])

    def grow(count):
        for _index in range(count):
            unit = UnitFactory(organization=campaign.organization)
            RegistrationFactory(campaign=campaign, unit=unit, status=Registration.Status.RECOGNISED)

    grow(1)
    one = queries_for(client, url)
    grow(2)
    assert queries_for(client, url) == one


def test_the_meeting_form_takes_as_many_queries_for_three_nominations_as_for_one(
    login, campaign, office_user, queries_for
):
    client = login(office_user)
    url = reverse("awards:meeting_create", args=[campaign.pk])
    _grow(campaign)
    one = queries_for(client, url)
    _grow(campaign, 2)
    assert queries_for(client, url) == one


def test_the_home_page_counts_nothing_awarded_as_zero_before_any_decision(
    login, campaign, unit, office_user
):
    NominationFactory(campaign=campaign, unit=unit)
    content = login(office_user).get(reverse("awards:home")).content.decode()
    assert "1 đề nghị · 0 chờ phê duyệt · 0 đã khen thưởng" in content
    assert "None" not in content


def test_the_home_page_counts_each_campaigns_nominations_in_subqueries_never_grouping_them(
    login, campaign, unit, office_user
):
    NominationFactory(campaign=campaign, unit=unit)
    NominationFactory(campaign=campaign, unit=UnitFactory(organization=campaign.organization))
    NominationFactory(
        campaign=campaign,
        unit=UnitFactory(organization=campaign.organization),
        status=Nomination.Status.WITHDRAWN,
    )
    summary = selectors.campaign_summary(organization=campaign.organization)
    # A GROUP BY over campaigns × nominations worked the totals out once per nomination.
    assert summary.query.group_by is None
    assert summary.get(pk=campaign.pk).nomination_count == 2
    content = login(office_user).get(reverse("awards:home")).content.decode()
    assert "2 đề nghị · 0 chờ phê duyệt · 0 đã khen thưởng" in content


def test_a_unit_officer_pages_through_all_the_units_nominations_newest_first(
    login, campaign, unit, other_unit, unit_officer
):
    nominations = _people(campaign, unit, HOME_NOMINATIONS + 1)
    theirs = NominationFactory(campaign=campaign, unit=other_unit)
    client = login(unit_officer)
    first = client.get(reverse("awards:home"))
    newest = [n.pk for n in reversed(nominations)]
    assert [n.pk for n in first.context["nominations"]] == newest[:HOME_NOMINATIONS]
    content = first.content.decode()
    assert "Trang 1/2" in content
    assert f">{HOME_NOMINATIONS + 1}</span>" in content  # the count beside the heading
    second = client.get(reverse("awards:home"), {"page": 2})
    assert [n.pk for n in second.context["nominations"]] == [nominations[0].pk]
    assert theirs.nominee_name not in content + second.content.decode()


def test_a_decisions_file_is_named_with_its_year_since_numbers_restart_every_year(
    login, decision, viewer
):
    response = login(viewer).get(reverse("awards:decision_download", args=[decision.pk, "pdf"]))
    b"".join(response.streaming_content)
    assert "Quyết định 01-QĐ-UBND 2024.pdf" in unquote(response["Content-Disposition"])


def _nominate_links(client, url, campaign) -> int:
    return client.get(url).content.decode().count(reverse("awards:nominate", args=[campaign.pk]))


def test_only_those_who_may_nominate_are_offered_the_nomination_form(
    login, campaign, office_user, unit_officer, chairman, before_deadline
):
    home, page = reverse("awards:home"), reverse("awards:campaign", args=[campaign.pk])
    # The chairman decides and does not propose: a link would lead him to a 404.
    assert login(chairman).get(reverse("awards:nominate", args=[campaign.pk])).status_code == 404
    assert _nominate_links(login(chairman), home, campaign) == 0
    assert _nominate_links(login(chairman), page, campaign) == 0
    assert _nominate_links(login(unit_officer), home, campaign) == 1
    assert _nominate_links(login(office_user), home, campaign) == 1
    assert _nominate_links(login(office_user), page, campaign) == 1


def test_after_the_deadline_no_page_offers_the_nomination_form(login, campaign, office_user):
    with time_machine.travel(date(2024, 12, 11), tick=False):
        client = login(office_user)
        assert _nominate_links(client, reverse("awards:home"), campaign) == 0
        assert (
            _nominate_links(client, reverse("awards:campaign", args=[campaign.pk]), campaign) == 0
        )
