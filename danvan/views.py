from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from danvan.accounts import selectors


@require_GET
def home(request):
    organization = request.organization
    context = {"organization": organization}
    if organization is not None:
        context["units"] = selectors.units_with_members(organization=organization)
        context["people"] = selectors.people_list(organization=organization)
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
