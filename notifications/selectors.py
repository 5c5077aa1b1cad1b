from django.db.models import QuerySet

from danvan.accounts.models import Organization, User
from notifications.models import EmailPreference, Frequency, Kind, Notification


def notification_list(*, user: User, organization: Organization) -> QuerySet[Notification]:
    """The user's own notifications in the organisation, newest first."""
    return Notification.objects.filter(recipient=user, organization=organization).order_by(
        "-created_at", "-pk"
    )


def unread_count(*, user: User, organization: Organization | None) -> int:
    if organization is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, organization=organization, read_at__isnull=True
    ).count()


def preferences_of(user: User) -> dict[str, str]:
    """{kind: frequency} for every kind (immediately where the user chose nothing)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in Kind.values}
