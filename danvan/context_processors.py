from danvan.accounts.models import Membership
from danvan.navigation import can_use_back_office, navigation_for


def portal(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    role_labels = [label for value, label in Membership.Role.choices if value in request.roles]
    return {
        "current_organization": request.organization,
        "current_role_labels": role_labels,
        "switchable_organizations": request.organizations,
        "nav_items": navigation_for(request),
        "can_use_back_office": can_use_back_office(request),
    }
