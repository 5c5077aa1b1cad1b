"""Proposals that travel: a commune's escalated nomination in its province's queue, the
province's answers, and what the commune sees."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.models import Escalation
from danvan.accounts.models import Membership
from danvan.audit.models import AuditEvent
from province import services
from province.models import Proposal
from tests.factories import MeetingFactory, member
from tests.province.conftest import PDF

Role = Membership.Role
Status = Proposal.Status


def test_sending_puts_the_proposal_in_the_provinces_queue_and_mails_its_office(
    sent, province, province_office
):
    assert sent.organization == province
    assert sent.status == Status.SENT
    assert sent.submission_name == "to-trinh.pdf"
    assert [m.to for m in mail.outbox] == [[province_office.email]]
    assert AuditEvent.objects.filter(action="proposal.send", organization=province).exists()


def test_a_commune_without_a_province_is_told_so(escalated, office_user):
    with pytest.raises(ValidationError) as refused:
        services.proposal_send(actor=office_user, escalation=escalated)
    assert "chưa được gắn với một cấp tỉnh" in refused.value.messages[0]
    assert not Proposal.objects.exists()


def test_only_the_communes_office_sends_and_only_once(
    under_province, escalated, office_user, unit_officer, province_office
):
    for actor in (unit_officer, province_office):
        with pytest.raises(PermissionDenied):
            services.proposal_send(actor=actor, escalation=escalated)
    services.proposal_send(actor=office_user, escalation=escalated)
    with pytest.raises(ValidationError):
        services.proposal_send(actor=office_user, escalation=escalated)
    assert Proposal.objects.count() == 1


def test_return_resend_accept_decide_records_the_decision_against_the_nomination(
    sent, office_user, province_office, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.proposal_return(
            actor=province_office, proposal=sent, reason="Thiếu biên bản."
        )
    assert mail.outbox[-1].to == [office_user.email]
    assert "Thiếu biên bản." in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.proposal_resend(
            actor=office_user, proposal=sent, cover_note="Đã bổ sung biên bản."
        )
    assert mail.outbox[-1].to == [province_office.email]
    sent.refresh_from_db()
    assert (sent.status, sent.times_sent, sent.status_reason) == (Status.SENT, 2, "")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.proposal_accept(actor=province_office, proposal=sent)
        services.proposal_decide(
            actor=province_office,
            proposal=sent,
            decision_number="1234/QĐ-UBND",
            decision_date=timezone.localdate(),
        )
    sent.refresh_from_db()
    escalation = Escalation.objects.get(pk=sent.escalation_id)
    assert sent.status == Status.DECIDED
    assert escalation.status == Escalation.Status.APPROVED
    assert "1234/QĐ-UBND" in escalation.outcome_note
    assert escalation.outcome_on == timezone.localdate()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "proposal.send",
        "proposal.returned",
        "proposal.sent",
        "proposal.accepted",
        "proposal.decided",
        "escalation.outcome",
    } <= actions
    assert mail.outbox[-1].to == [office_user.email]


def test_reject_needs_a_reason_and_records_the_refusal(sent, province_office):
    with pytest.raises(ValidationError):
        services.proposal_reject(actor=province_office, proposal=sent, reason=" ")
    services.proposal_reject(actor=province_office, proposal=sent, reason="Chưa đủ tiêu chuẩn.")
    sent.escalation.refresh_from_db()
    assert sent.escalation.status == Escalation.Status.REFUSED


def test_a_decision_date_in_the_future_is_refused_and_nothing_changes(sent, province_office):
    sent = services.proposal_accept(actor=province_office, proposal=sent)
    with pytest.raises(ValidationError) as refused:
        services.proposal_decide(
            actor=province_office,
            proposal=sent,
            decision_number="5/QĐ",
            decision_date=timezone.localdate() + timedelta(days=1),
        )
    assert "decision_date" in refused.value.message_dict
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED


def test_another_province_and_the_commune_cannot_answer(sent, other_province_office, office_user):
    for actor in (other_province_office, office_user):
        with pytest.raises(PermissionDenied):
            services.proposal_accept(actor=actor, proposal=sent)
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_the_province_cannot_resend_for_the_commune(sent, province_office):
    sent = services.proposal_return(actor=province_office, proposal=sent, reason="Thiếu.")
    with pytest.raises(PermissionDenied):
        services.proposal_resend(actor=province_office, proposal=sent, cover_note="x")


# Pages --------------------------------------------------------------------------------


def test_the_commune_sends_from_the_nomination_page(under_province, escalated, office_user, login):
    client = login(office_user)
    page = client.get(reverse("awards:nomination", args=[escalated.nomination_id]))
    assert "Gửi lên cấp tỉnh" in page.content.decode()
    response = client.post(
        reverse("province:send", args=[escalated.pk]), {"cover_note": "Kính đề nghị."}
    )
    proposal = Proposal.objects.get()
    assert response.url == reverse("province:proposal", args=[proposal.pk])
    page = client.get(reverse("awards:nomination", args=[escalated.nomination_id]))
    assert "Đã gửi, chờ tỉnh xem xét" in page.content.decode()


def test_province_returns_with_a_reason_from_its_page(sent, province_office, login):
    client = login(province_office)
    page = client.get(reverse("province:proposal", args=[sent.pk])).content.decode()
    assert "Trả lại để bổ sung" in page
    assert "to-trinh.pdf" in page
    client.post(reverse("province:return", args=[sent.pk]), {"reason": "Thiếu biên bản."})
    sent.refresh_from_db()
    assert (sent.status, sent.status_reason) == (Status.RETURNED, "Thiếu biên bản.")


def test_a_bad_decision_keeps_what_was_typed(sent, province_office, login):
    services.proposal_accept(actor=province_office, proposal=sent)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(province_office).post(
        reverse("province:decide", args=[sent.pk]),
        {"decision_number": "77/QĐ-UBND", "decision_date": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày quyết định không được sau hôm nay." in page
    assert 'value="77/QĐ-UBND"' in page


def test_dossier_files_reach_both_sides_and_nobody_else(
    sent, escalated, office_user, province_office, other_province_office, outsider, login
):
    meeting = MeetingFactory(campaign=escalated.nomination.campaign)
    escalated.nomination.votes.create(meeting=meeting, votes_in_favour=8)
    pages = [
        reverse("province:proposal", args=[sent.pk]),
        reverse("province:submission", args=[sent.pk]),
        reverse("province:report", args=[sent.pk, "docx"]),
        reverse("province:minutes", args=[sent.pk, meeting.pk, "docx"]),
    ]
    colleague = member(sent.commune, Role.UNIT_OFFICER, unit=escalated.nomination.unit)
    for url in pages:
        for user in (office_user, province_office):
            response = login(user).get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)
        for user in (other_province_office, outsider, colleague):
            assert login(user).get(url).status_code == 404, url


def test_queue_lists_only_the_provinces_proposals(
    sent, province_office, other_province_office, login
):
    mine = login(province_office).get(reverse("province:queue")).content.decode()
    theirs = login(other_province_office).get(reverse("province:queue")).content.decode()
    name = sent.nomination.nominee_name
    assert name in mine
    assert name not in theirs


def test_a_commune_sees_the_outcome_in_its_sent_list_and_another_commune_does_not(
    sent, office_user, outsider, province_office, login
):
    sent = services.proposal_accept(actor=province_office, proposal=sent)
    services.proposal_decide(
        actor=province_office,
        proposal=sent,
        decision_number="88/QĐ-UBND",
        decision_date=timezone.localdate(),
    )
    assert "88/QĐ-UBND" in login(office_user).get(reverse("province:sent")).content.decode()
    assert "88/QĐ-UBND" not in login(outsider).get(reverse("province:sent")).content.decode()


@pytest.mark.parametrize("url_name", ["province:queue", "province:sent"])
def test_proposal_lists_query_count_does_not_grow(
    under_province, org, unit, province, province_office, office_user, login, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CampaignFactory, NominationFactory, UnitFactory, award_form

    campaign = CampaignFactory(organization=org, year=2025, status="issued")

    def one_more():
        nomination = NominationFactory(
            campaign=campaign,
            unit=UnitFactory(organization=org),
            status="escalated",
            award_form=award_form("bang-khen-chu-tich-tinh"),
        )
        escalation = Escalation.objects.create(
            nomination=nomination, organization=org, sent_to="Tỉnh", sent_on=date(2025, 12, 1)
        )
        services.proposal_send(actor=office_user, escalation=escalation)

    client = login(province_office if url_name == "province:queue" else office_user)
    one_more()
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url_name))
    one_more()
    one_more()
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(three) == len(one)


# Refused posts keep what was typed ----------------------------------------------------


def test_a_refused_send_shows_the_form_again_with_the_typed_text(escalated, office_user, login):
    """The commune is not under a province yet: nothing is sent, the note stays."""
    typed = "Kính đề nghị UBND tỉnh tặng Bằng khen cho tập thể đã có thành tích xuất sắc."
    response = login(office_user).post(
        reverse("province:send", args=[escalated.pk]),
        {
            "cover_note": typed,
            "submission": SimpleUploadedFile("to-trinh.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert typed in page
    assert "chưa được gắn với một cấp tỉnh" in page
    assert "hãy chọn lại tệp" in page
    assert not Proposal.objects.exists()
    escalated.refresh_from_db()
    assert escalated.status == Escalation.Status.SENT
    assert not AuditEvent.objects.filter(action="proposal.send").exists()


def test_a_send_with_a_refused_file_keeps_the_typed_text(
    under_province, escalated, office_user, login
):
    response = login(office_user).post(
        reverse("province:send", args=[escalated.pk]),
        {
            "cover_note": "Tờ trình kèm theo.",
            "submission": SimpleUploadedFile("to-trinh.exe", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "Tờ trình kèm theo." in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_second_send_of_the_same_escalation_is_refused_with_the_form(
    sent, escalated, office_user, login
):
    response = login(office_user).post(
        reverse("province:send", args=[escalated.pk]), {"cover_note": "Gửi lần nữa."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Gửi lần nữa." in page
    assert "Đề nghị này đã được gửi lên cấp tỉnh." in page
    assert Proposal.objects.get().cover_note == "Đề nghị tặng Bằng khen."


def test_a_refused_resend_keeps_the_typed_text(sent, office_user, province_office, login):
    services.proposal_return(actor=province_office, proposal=sent, reason="Thiếu biên bản.")
    response = login(office_user).post(
        reverse("province:resend", args=[sent.pk]),
        {
            "cover_note": "Đã bổ sung biên bản họp Hội đồng.",
            "submission": SimpleUploadedFile("bien-ban.exe", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Đã bổ sung biên bản họp Hội đồng." in page
    assert "hãy chọn lại tệp" in page
    sent.refresh_from_db()
    assert (sent.status, sent.times_sent, sent.cover_note) == (
        Status.RETURNED,
        1,
        "Đề nghị tặng Bằng khen.",
    )


def test_a_return_after_another_answer_is_refused_with_the_reason_why(sent, province_office, login):
    client = login(province_office)
    services.proposal_accept(actor=province_office, proposal=sent)  # someone else, first
    response = client.post(reverse("province:return", args=[sent.pk]), {"reason": "Thiếu."})
    assert response.status_code == 400
    assert "Không thể chuyển đề nghị" in response.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.status_reason) == (Status.ACCEPTED, "")


def test_a_return_without_a_reason_is_refused_on_the_page(sent, province_office, login):
    response = login(province_office).post(
        reverse("province:return", args=[sent.pk]), {"reason": " "}
    )
    assert response.status_code == 400
    assert "Hãy ghi lý do." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_a_decision_after_another_answer_shows_the_proposal_as_it_now_is(
    sent, province_office, login
):
    accepted = services.proposal_accept(actor=province_office, proposal=sent)
    client = login(province_office)
    page = client.get(reverse("province:proposal", args=[sent.pk])).content.decode()
    assert 'name="decision_number"' in page  # the decision form is offered
    services.proposal_reject(actor=province_office, proposal=accepted, reason="Trùng đề nghị.")
    response = client.post(
        reverse("province:decide", args=[sent.pk]),
        {
            "decision_number": "7/QĐ-UBND",
            "decision_date": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="decision_number"' not in page  # the step is gone: the page as it now is
    assert "Trùng đề nghị." in page
    assert "Không thể chuyển đề nghị" in page  # why, above the page
    sent.refresh_from_db()
    assert (sent.status, sent.decision_number) == (Status.REJECTED, "")


def test_the_work_lists_show_the_proposal_waiting_for_the_province_then_returned_to_the_commune(
    sent, org, province, office_user, province_office, login
):
    from inbox.selectors import inbox_for

    def lines(user, organization):
        today = timezone.localdate()
        return {
            task.key: (task.count, task.url)
            for task in inbox_for(user=user, organization=organization, today=today)
        }

    queue = reverse("province:queue") + "?status=sent"
    assert lines(province_office, province)["proposals_to_review"] == (1, queue)
    home = login(province_office).get(reverse("home")).content.decode()
    assert "Đề nghị khen thưởng của xã, phường chờ tỉnh xem xét" in home
    assert "proposals_returned" not in lines(office_user, org)
    services.proposal_return(actor=province_office, proposal=sent, reason="Thiếu biên bản.")
    assert "proposals_to_review" not in lines(province_office, province)
    assert lines(office_user, org)["proposals_returned"] == (1, reverse("province:sent"))
