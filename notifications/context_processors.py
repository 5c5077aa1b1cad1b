from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread(request):
    """The header's unread count, counted only where a page shows it."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(
                user=request.user, organization=getattr(request, "organization", None)
            )
        )
    }
