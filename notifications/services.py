"""Telling people what happened: in-app notifications and their e-mail.

``notify`` records the notifications of one event inside the caller's transaction; the
e-mails go after the commit. A person is notified once per event (the unique
``(recipient, event_key)``) and each notification is e-mailed at most once: the e-mail
(immediate or the day's digest) first claims it with a conditional update of
``mailed_at``, so two runs at once cannot both send it.
"""

from collections.abc import Iterable
from datetime import date
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation

from danvan.accounts.models import Organization, User
from danvan.mail import absolute_url, send_templated_mail
from notifications.messages import message
from notifications.models import DigestSent, EmailPreference, Frequency, Kind, Notification


def frequency_of(user_id: int, kind: str, preferences: dict | None = None) -> str:
    if preferences is not None:
        return preferences.get((user_id, kind), Frequency.IMMEDIATELY)
    row = EmailPreference.objects.filter(user_id=user_id, kind=kind).first()
    return row.frequency if row else Frequency.IMMEDIATELY


def notify(
    *,
    organization: Organization,
    recipients: Iterable[User | int],
    kind: str,
    event_key: str,
    url: str,
    params: dict | None = None,
) -> list[int]:
    """Record ``kind`` notifications of the event ``event_key`` for ``recipients`` (users
    or their ids) and e-mail, after the commit, those who want it at once. Someone
    already told about this event is left alone. Returns the new notifications' ids.
    Runs inside the caller's transaction (the event and its notifications commit or
    roll back together)."""
    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    if not ids:
        return []
    Notification.objects.bulk_create(
        [
            Notification(
                organization=organization,
                recipient_id=user_id,
                kind=kind,
                event_key=event_key,
                url=url,
                params=params or {},
            )
            for user_id in ids
        ],
        ignore_conflicts=True,
    )
    created = list(
        Notification.objects.filter(
            recipient_id__in=ids, event_key=event_key, mailed_at__isnull=True, read_at__isnull=True
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(partial(mail_now, created))
    return created


def _claim(notification_ids: Iterable[int]) -> int:
    """Mark notifications mailed, if nobody has; how many this call claimed."""
    return Notification.objects.filter(
        pk__in=list(notification_ids), mailed_at__isnull=True
    ).update(mailed_at=timezone.now())


def _in_mail_language(function, *args):
    """What ``function`` writes, in the language of the e-mails (the portal's own, as
    ``send_templated_mail`` renders them), not that of the user whose click sent it."""
    with translation.override(settings.LANGUAGE_CODE):
        return function(*args)


def mail_now(notification_ids: list[int]) -> int:
    """E-mail each notification whose recipient wants this kind at once. Returns how many
    e-mails were sent."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids, mailed_at__isnull=True)
        .exclude(recipient__email="")
        .filter(recipient__is_active=True)
        .select_related("recipient", "organization")
    )
    preferences = {
        (row.user_id, row.kind): row.frequency
        for row in EmailPreference.objects.filter(
            user_id__in={n.recipient_id for n in notifications}
        )
    }
    sent = 0
    for notification in notifications:
        wanted = frequency_of(notification.recipient_id, notification.kind, preferences)
        if wanted != Frequency.IMMEDIATELY or not _claim([notification.pk]):
            continue
        sent += send_templated_mail(
            to=[notification.recipient.email],
            subject_template="notifications/email/notification_subject.txt",
            body_template="notifications/email/notification_body.txt",
            context={
                "notification": notification,
                "text": _in_mail_language(message, notification),
                "link": absolute_url(notification.url),
                "settings_link": absolute_url(reverse("notifications:settings")),
            },
        )
    return sent


def notification_mark_read(*, actor: User, notification: Notification) -> bool:
    """Mark one of the actor's own notifications read; False if it already was."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk, recipient=actor, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def notifications_mark_all_read(*, actor: User, organization: Organization) -> int:
    """Mark all the actor's unread notifications of the organisation read."""
    return Notification.objects.filter(
        recipient=actor, organization=organization, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, actor: User, choices: dict[str, str]) -> None:
    """Save how the actor wants to be e-mailed about each kind ({kind: frequency})."""
    for kind, frequency in choices.items():
        if kind not in Kind.values or frequency not in Frequency.values:
            raise ValueError(kind)
        EmailPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"frequency": frequency}
        )


def digest_send(*, today: date | None = None) -> int:
    """Send each person who chose the daily digest for some kinds one e-mail with those
    of their notifications not yet mailed, at most once a day; nobody with nothing new
    gets an e-mail. Each digest is recorded before it goes out (after the commit), so a
    second run on the same day sends nothing. Returns how many digests were sent."""
    today = today or timezone.localdate()
    daily = EmailPreference.objects.filter(frequency=Frequency.DAILY)
    wants_daily = daily.filter(user_id=OuterRef("recipient_id"), kind=OuterRef("kind"))
    pending = (
        Notification.objects.filter(Exists(wants_daily), mailed_at__isnull=True)
        .filter(recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in pending:
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update()
                .filter(
                    recipient_id=user_id,
                    kind__in=daily.filter(user_id=user_id).values("kind"),
                    mailed_at__isnull=True,
                )
                .order_by("created_at", "pk")
            )
            if not items:
                continue
            digest, created = DigestSent.objects.get_or_create(
                user_id=user_id, sent_on=today, defaults={"items": len(items)}
            )
            if not created:
                continue
            _claim(n.pk for n in items)
            transaction.on_commit(partial(_mail_digest, digest.pk, [n.pk for n in items]))
        sent += 1
    return sent


def _mail_digest(digest_id: int, notification_ids: list[int]) -> int:
    digest = DigestSent.objects.select_related("user").get(pk=digest_id)
    items = list(
        Notification.objects.filter(pk__in=notification_ids)
        .select_related("organization")
        .order_by("created_at", "pk")
    )
    return send_templated_mail(
        to=[digest.user.email],
        subject_template="notifications/email/digest_subject.txt",
        body_template="notifications/email/digest_body.txt",
        context={
            "user": digest.user,
            "day": digest.sent_on,
            "items": [(n, _in_mail_language(message, n), absolute_url(n.url)) for n in items],
            "list_link": absolute_url(reverse("notifications:list")),
            "settings_link": absolute_url(reverse("notifications:settings")),
        },
    )
