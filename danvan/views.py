from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns import selectors as campaign_selectors
from danvan.accounts import selectors
from danvan.text import natural_sort_key, sort_key


@require_GET
def home(request):
    organization = request.organization
    context = {"organization": organization}
    if organization is not None:
        today = timezone.localdate()
        context["campaigns"] = [
            (campaign, campaign.phase(today), campaign.registration_days_left(today))
            for campaign in campaign_selectors.campaigns_in_force(organization=organization)
        ]
        context["units"] = sorted(
            selectors.units_with_members(organization=organization),
            key=lambda u: natural_sort_key(u.name),
        )
        context["people"] = sorted(
            selectors.people_list(organization=organization),
            key=lambda m: sort_key(m.user.full_name.split()[-1] + " " + m.user.full_name),
        )
        context["my_memberships"] = [
            m
            for m in selectors.memberships_for(request.user)
            if m.organization_id == organization.pk
        ]
    return render(request, "home.html", context)


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers and uptime checks: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the document print views)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
