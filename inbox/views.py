from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from danvan.accounts import selectors as accounts
from danvan.text import natural_sort_key, sort_key
from inbox.selectors import inbox_for


def _my_memberships(request, organization):
    return [
        m for m in accounts.memberships_for(request.user) if m.organization_id == organization.pk
    ]


@require_GET
def home(request):
    """The home page: the campaigns in force and what waits for the user, by role."""
    organization = request.organization
    context = {"organization": organization}
    if organization is not None:
        today = timezone.localdate()
        context["campaigns"] = [
            (campaign, campaign.phase(today), campaign.registration_days_left(today))
            for campaign in campaign_selectors.campaigns_in_force(organization=organization)
        ]
        context["tasks"] = inbox_for(user=request.user, organization=organization, today=today)
        context["my_memberships"] = _my_memberships(request, organization)
    return render(request, "home.html", context)


@require_GET
def directory(request):
    """The organisation's units and people (every member may read it)."""
    organization = request.organization
    context = {"organization": organization}
    if organization is not None:
        context["units"] = sorted(
            accounts.units_with_members(organization=organization),
            key=lambda u: natural_sort_key(u.name),
        )
        context["people"] = sorted(
            accounts.people_list(organization=organization),
            key=lambda m: sort_key(m.user.full_name.split()[-1] + " " + m.user.full_name),
        )
    return render(request, "inbox/directory.html", context)
