from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from awards import services as awards
from campaigns.models import Campaign
from danvan.accounts.models import Membership
from evaluations import services as evaluations
from evaluations.models import Inspection, Round
from notifications.models import DigestSent, EmailPreference, Frequency, Kind, Notification
from notifications.services import digest_send, notify
from tests.evaluations.factories import accepted
from tests.factories import CampaignFactory, MeetingFactory, NominationFactory, member

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, year=2025, status="issued")


@pytest.fixture
def planned_round(office_user, campaign, unit, unit_officer):
    accepted(campaign, unit, name="Mô hình dân vận khéo số một")
    evaluations.rubric_seed_default(actor=office_user, campaign=campaign)
    return evaluations.round_create(
        actor=office_user,
        campaign=campaign,
        data={
            "kind": Round.Kind.MID_YEAR,
            "name": "Sơ kết giữa năm 2025",
            "starts_on": datetime(2025, 6, 16).date(),
            "ends_on": datetime(2025, 7, 11).date(),
        },
    )


def assign(office_user, round, evaluator):
    return evaluations.assignments_create(
        actor=office_user,
        round=round,
        inspections=Inspection.objects.filter(round=round),
        evaluators=[evaluator],
    )


def prefer(user, kind, frequency):
    EmailPreference.objects.create(user=user, kind=kind, frequency=frequency)


def test_an_evaluator_is_told_and_mailed_once_when_assigned(
    office_user, planned_round, evaluator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(office_user, planned_round, evaluator)
    notification = Notification.objects.get(recipient=evaluator)
    assert notification.kind == Kind.EVALUATOR_ASSIGNED
    assert [m.to for m in mailoutbox] == [[evaluator.email]]
    assert "Sơ kết giữa năm 2025" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assign(office_user, planned_round, evaluator)  # the same pairs: nothing new
    assert Notification.objects.filter(recipient=evaluator).count() == 1
    assert len(mailoutbox) == 1


def test_the_mail_is_in_vietnamese_whatever_the_language_of_who_sent_it(
    office_user, planned_round, evaluator, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from notifications.messages import message

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        assign(office_user, planned_round, evaluator)
    notification = Notification.objects.get(recipient=evaluator)
    with translation.override("vi"):
        vietnamese = message(notification)
    with translation.override("en"):
        assert message(notification) != vietnamese  # the line has an English translation
    assert vietnamese in mailoutbox[0].body


def test_nothing_is_mailed_when_the_change_rolls_back(
    office_user, planned_round, evaluator, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                assign(office_user, planned_round, evaluator)
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_the_same_event_told_twice_gives_one_notification_and_one_mail(
    org, evaluator, mailoutbox, django_capture_on_commit_callbacks
):
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                organization=org,
                recipients=[evaluator],
                kind=Kind.ROUND_OPENED,
                event_key="round_opened:1",
                url="/evaluations/",
                params={"round": "Đợt 1", "ends_on": "11/07/2025"},
            )
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1


def test_opening_a_round_tells_its_evaluators_and_the_units_whose_models_it_scores(
    office_user,
    planned_round,
    evaluator,
    unit_officer,
    other_unit_officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    assign(office_user, planned_round, evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        evaluations.round_open(actor=office_user, round=planned_round)
    kinds = dict(
        Notification.objects.values_list("recipient_id", "kind").exclude(
            kind=Kind.EVALUATOR_ASSIGNED
        )
    )
    assert kinds == {evaluator.pk: Kind.ROUND_OPENED, unit_officer.pk: Kind.UNIT_ROUND_OPENED}
    assert other_unit_officer.pk not in kinds
    opened = [m for m in mailoutbox if "đã mở" in m.body]
    assert sorted(m.to[0] for m in opened) == sorted([evaluator.email, unit_officer.email])
    [to_unit] = [m for m in opened if m.to == [unit_officer.email]]
    # The model "Mô hình dân vận khéo số một" is named once, not "mô hình “Mô hình …”".
    assert "đã mở: mô hình dân vận khéo số một của đơn vị" in to_unit.body
    assert "“Mô hình" not in to_unit.body


def test_the_chairman_and_vice_chairman_are_told_when_the_council_passes_nominations(
    office_user, chairman, vice_chairman, campaign, other_org, django_capture_on_commit_callbacks
):
    foreign_chairman = member(other_org, Role.CHAIRMAN)
    meeting = MeetingFactory(campaign=campaign)
    passing = NominationFactory(campaign=campaign)
    failing = NominationFactory(campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        awards.votes_record(
            actor=office_user, meeting=meeting, votes={passing.pk: 9, failing.pk: 2}
        )
    told = Notification.objects.filter(kind=Kind.NOMINATIONS_PASSED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [chairman.pk, vice_chairman.pk]
    )
    assert told[0].params["count"] == 1
    assert not Notification.objects.filter(recipient=foreign_chairman).exists()


def test_office_staff_send_a_draft_plan_to_the_signers(
    login, office_user, chairman, org, mailoutbox, django_capture_on_commit_callbacks
):
    draft = CampaignFactory(organization=org, year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(office_user).post(reverse("campaigns:send_for_signature", args=[draft.pk]))
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=chairman)
    assert notification.kind == Kind.PLAN_FOR_SIGNATURE
    assert notification.url == reverse("campaigns:detail", args=[draft.pk])
    assert [m.to for m in mailoutbox] == [[chairman.email]]
    draft.refresh_from_db()
    assert draft.sent_for_signature_at is not None
    page = login(chairman).get(reverse("campaigns:detail", args=[draft.pk]))
    assert b'data-testid="sent-for-signature"' in page.content


def test_only_the_office_sends_a_plan_for_signature(login, unit_officer, outsider, org):
    draft = CampaignFactory(organization=org, year=2026)
    url = reverse("campaigns:send_for_signature", args=[draft.pk])
    assert login(unit_officer).post(url).status_code == 404
    assert login(outsider).post(url).status_code == 404
    assert not Notification.objects.exists()
    draft.refresh_from_db()
    assert draft.sent_for_signature_at is None


def test_a_daily_preference_sends_no_mail_at_once(
    org, evaluator, mailoutbox, django_capture_on_commit_callbacks
):
    prefer(evaluator, Kind.ROUND_OPENED, Frequency.DAILY)
    prefer(evaluator, Kind.PLAN_FOR_SIGNATURE, Frequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:1")
        tell(org, evaluator, Kind.PLAN_FOR_SIGNATURE, "plan:1")
    assert Notification.objects.count() == 2
    assert mailoutbox == []


def tell(org, user, kind, key):
    params = {
        Kind.ROUND_OPENED: {"round": f"Đợt {key}", "ends_on": "11/07/2025"},
        Kind.PLAN_FOR_SIGNATURE: {"campaign": f"Kế hoạch {key}"},
    }[kind]
    notify(organization=org, recipients=[user], kind=kind, event_key=key, url="/", params=params)


def test_the_digest_sends_one_mail_a_day_with_the_days_items_and_none_when_empty(
    org, evaluator, chairman, mailoutbox, django_capture_on_commit_callbacks
):
    prefer(evaluator, Kind.ROUND_OPENED, Frequency.DAILY)
    prefer(chairman, Kind.ROUND_OPENED, Frequency.DAILY)  # nothing for him: no mail
    prefer(evaluator, Kind.PLAN_FOR_SIGNATURE, Frequency.NEVER)
    with (
        time_machine.travel(datetime(2025, 6, 16, 8, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:1")
        tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:2")
        tell(org, evaluator, Kind.PLAN_FOR_SIGNATURE, "plan:1")  # never by mail
    with time_machine.travel(datetime(2025, 6, 17, 0, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_notification_digest")
        with django_capture_on_commit_callbacks(execute=True):
            assert digest_send() == 0  # the same day again: nothing
    assert [m.to for m in mailoutbox] == [[evaluator.email]]
    body = mailoutbox[0].body
    assert "Đợt round_opened:1" in body
    assert "Đợt round_opened:2" in body
    assert "Kế hoạch plan:1" not in body
    assert "17/06/2025" in mailoutbox[0].subject
    with (
        time_machine.travel(datetime(2025, 6, 18, 0, 30, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert digest_send() == 0  # nothing new since: no mail
    assert len(mailoutbox) == 1
    assert list(DigestSent.objects.values_list("items", flat=True)) == [2]


def test_the_list_shows_ones_own_notifications_and_marks_them_read(
    login, org, evaluator, unit_officer
):
    tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:1")
    tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:2")
    tell(org, unit_officer, Kind.ROUND_OPENED, "round_opened:3")
    client = login(evaluator)
    content = client.get(reverse("home")).content.decode()
    assert "chưa đọc:" in content
    content = client.get(reverse("notifications:list")).content.decode()
    assert "Đợt round_opened:1" in content
    assert "Đợt round_opened:3" not in content
    first = Notification.objects.get(event_key="round_opened:1")
    response = client.post(reverse("notifications:open", args=[first.pk]), {"next": "list"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_read
    others = Notification.objects.get(event_key="round_opened:3")
    assert client.post(reverse("notifications:open", args=[others.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=evaluator, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=unit_officer, read_at__isnull=True).exists()


def test_each_person_sets_their_email_preference_per_kind(login, evaluator):
    client = login(evaluator)
    data = dict.fromkeys(Kind.values, Frequency.IMMEDIATELY) | {Kind.ROUND_OPENED: Frequency.DAILY}
    assert client.post(reverse("notifications:settings"), data).status_code == 302
    assert EmailPreference.objects.get(user=evaluator, kind=Kind.ROUND_OPENED).frequency == "daily"
    response = client.post(reverse("notifications:settings"), data | {Kind.ROUND_OPENED: "x"})
    assert response.status_code == 200
    assert "x" not in EmailPreference.objects.values_list("frequency", flat=True)


def test_the_list_takes_as_many_queries_for_three_notifications_as_for_one(
    login, org, evaluator, queries_for
):
    tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:1")
    client = login(evaluator)
    one = queries_for(client, reverse("notifications:list"))
    tell(org, evaluator, Kind.ROUND_OPENED, "round_opened:2")
    tell(org, evaluator, Kind.PLAN_FOR_SIGNATURE, "plan:3")
    assert queries_for(client, reverse("notifications:list")) == one


def test_the_send_for_signature_button_is_offered_to_the_office_on_a_draft_only(
    login, office_user, chairman, org
):
    draft = CampaignFactory(organization=org, year=2026)
    url = reverse("campaigns:send_for_signature", args=[draft.pk])
    detail = reverse("campaigns:detail", args=[draft.pk])
    assert url in login(office_user).get(detail).content.decode()
    assert url not in login(chairman).get(detail).content.decode()
    issued = CampaignFactory(organization=org, year=2025, status="issued")
    issued_detail = reverse("campaigns:detail", args=[issued.pk])
    assert "send-for-signature" not in login(office_user).get(issued_detail).content.decode()


def test_plans_sent_for_signature_before_the_upgrade_keep_waiting_for_the_signers(
    login, office_user, org
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("campaigns.migrations.0005_sent_for_signature")
    sent = CampaignFactory(organization=org, year=2026)
    written = CampaignFactory(organization=org, year=2027)
    login(office_user).post(reverse("campaigns:send_for_signature", args=[sent.pk]))
    Campaign.objects.update(sent_for_signature_at=None)  # as before the column existed
    migration.sent_from_the_audit_trail(apps, None)
    sent.refresh_from_db()
    written.refresh_from_db()
    assert sent.sent_for_signature_at is not None
    assert written.sent_for_signature_at is None
