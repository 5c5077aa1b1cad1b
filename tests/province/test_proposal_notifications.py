"""Each step of a proposal tells the other side: the province's office when it arrives
or comes back, the sending commune's office of every answer; in the portal and by
e-mail as each person prefers, once per step, nobody of another organisation."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from danvan.accounts.models import Membership
from notifications.messages import message
from notifications.models import EmailPreference, Frequency, Kind, Notification
from province import services
from province.models import Proposal
from tests.factories import member
from tests.province.conftest import attach

pytestmark = pytest.mark.django_db
Role = Membership.Role
Status = Proposal.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(
    unit_officer,
    org,
    other_org,
    province,
    other_province,
    office_user,
    province_office,
    other_province_office,
):
    """Who may be told: both offices, and people who must not be (another province's
    office, the province's viewer, a unit officer and another commune's office)."""
    attach(province, org, valid_from=date(2025, 7, 1))
    return {
        "commune_office": office_user,
        "commune_office_2": member(org, Role.OFFICE, full_name="Ngô Thị Hai"),
        "province_office": province_office,
        "province_office_2": member(province, Role.PROVINCE_OFFICE, full_name="Đỗ Văn Ba"),
        "province_viewer": member(province, Role.PROVINCE_VIEWER),
        "other_province_office": other_province_office,
        "unit_officer": unit_officer,
        "other_commune_office": member(other_org, Role.OFFICE),
    }


def told(kind=None):
    """{(recipient id, organisation id)} of the notifications so far (of ``kind``)."""
    queryset = Notification.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return sorted(queryset.values_list("recipient_id", "organization_id"))


def send(people, escalated, capture):
    with capture(execute=True):
        return services.proposal_send(
            actor=people["commune_office"],
            escalation=escalated,
            cover_note="Đề nghị tặng Bằng khen.",
            submission=SimpleUploadedFile("to-trinh.pdf", PDF, "application/pdf"),
        )


def test_a_sent_proposal_tells_the_provinces_office_only(
    people, escalated, province, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = send(people, escalated, django_capture_on_commit_callbacks)
    expected = sorted((people[k].pk, province.pk) for k in ("province_office", "province_office_2"))
    assert told() == expected
    notification = Notification.objects.filter(kind=Kind.PROPOSAL_RECEIVED).first()
    assert notification.url == reverse("province:proposal", args=[proposal.pk])
    text = message(notification)
    assert proposal.commune.name in text
    assert proposal.nomination.nominee_name in text
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        people[k].email for k in ("province_office", "province_office_2")
    )


def test_each_answer_tells_the_communes_office_only_once(
    people, escalated, org, province, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    proposal = send(people, escalated, capture)
    commune_office = sorted((people[k].pk, org.pk) for k in ("commune_office", "commune_office_2"))
    province_office = sorted(
        (people[k].pk, province.pk) for k in ("province_office", "province_office_2")
    )
    steps = [
        (
            lambda p: services.proposal_return(
                actor=people["province_office"], proposal=p, reason="Thiếu biên bản."
            ),
            Status.RETURNED,
            "Thiếu biên bản.",
        ),
        (
            lambda p: services.proposal_resend(
                actor=people["commune_office"], proposal=p, cover_note="Đã bổ sung."
            ),
            Status.SENT,
            "lần 2",
        ),
        (
            lambda p: services.proposal_accept(actor=people["province_office"], proposal=p),
            Status.ACCEPTED,
            "đã tiếp nhận",
        ),
        (
            lambda p: services.proposal_decide(
                actor=people["province_office"],
                proposal=p,
                decision_number="12/QĐ-UBND",
                decision_date=timezone.localdate(),
            ),
            Status.DECIDED,
            "12/QĐ-UBND",
        ),
    ]
    for step, status, words in steps:
        before = set(Notification.objects.values_list("pk", flat=True))
        mailed = len(mailoutbox)
        with capture(execute=True):
            proposal = step(proposal)
        new = Notification.objects.exclude(pk__in=before)
        recipients = sorted(new.values_list("recipient_id", "organization_id"))
        assert recipients == (province_office if status == Status.SENT else commune_office)
        assert all(words in message(n) for n in new), status
        assert len(mailoutbox) - mailed == 2, status
        # The step's telling run again (a retry of the same step): nobody is told twice.
        with capture(execute=True):
            services._notify(
                Proposal.objects.get(pk=proposal.pk),
                status,
                reason="Thiếu biên bản.",
                number="12/QĐ-UBND",
                date="01/01/2026",
            )
        assert Notification.objects.exclude(pk__in=before).count() == 2, status
        assert len(mailoutbox) - mailed == 2, status
    strangers = [
        people[k].pk
        for k in (
            "province_viewer",
            "other_province_office",
            "unit_officer",
            "other_commune_office",
        )
    ]
    assert not Notification.objects.filter(recipient_id__in=strangers).exists()


def test_a_rejection_tells_the_commune_with_the_reason(
    people, escalated, org, django_capture_on_commit_callbacks
):
    proposal = send(people, escalated, django_capture_on_commit_callbacks)
    services.proposal_reject(
        actor=people["province_office"], proposal=proposal, reason="Chưa đủ tiêu chuẩn."
    )
    answers = Notification.objects.filter(kind=Kind.PROPOSAL_ANSWERED)
    assert sorted(answers.values_list("recipient_id", flat=True)) == sorted(
        [people["commune_office"].pk, people["commune_office_2"].pk]
    )
    assert all("Chưa đủ tiêu chuẩn." in message(n) for n in answers)
    assert {n.organization_id for n in answers} == {org.pk}


def test_a_refused_step_tells_nobody(people, escalated, django_capture_on_commit_callbacks):
    proposal = send(people, escalated, django_capture_on_commit_callbacks)
    count = Notification.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.proposal_reject(actor=people["province_office"], proposal=proposal, reason=" ")
    assert "reason" in refused.value.message_dict
    assert Notification.objects.count() == count


def test_the_mail_follows_each_persons_preference(
    people, escalated, mailoutbox, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(
        user=people["province_office_2"], kind=Kind.PROPOSAL_RECEIVED, frequency=Frequency.NEVER
    )
    send(people, escalated, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[people["province_office"].email]]
    assert Notification.objects.filter(recipient=people["province_office_2"]).exists()


def test_the_notification_opens_the_proposal_for_its_reader(
    people, escalated, login, django_capture_on_commit_callbacks
):
    proposal = send(people, escalated, django_capture_on_commit_callbacks)
    client = login(people["province_office"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert proposal.nomination.nominee_name in page
    notification = Notification.objects.get(recipient=people["province_office"])
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == reverse("province:proposal", args=[proposal.pk])
    assert client.get(response.url).status_code == 200
