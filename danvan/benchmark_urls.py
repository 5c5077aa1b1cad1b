"""The portal's URLs plus the bare baseline view, for benchmarks and load tests only.

Mounted by the ``benchmark`` command (in-process) and, for a load test, by setting
``BENCHMARK_VIEWS=1`` on the server; never in production.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape
from django.views.decorators.http import require_GET

from danvan.urls import urlpatterns as portal_urlpatterns
from models_registry.models import Registration


@require_GET
def bare_registrations(request):
    """The baseline: the organisation's 25 latest registrations, one indexed query
    (``registration_org_updated``), no template."""
    rows = (
        Registration.objects.filter(organization=request.organization)
        .order_by("-updated_at", "pk")
        .values_list("code", "name", "status")[:25]
    )
    items = "".join(
        f"<li>{escape(code)} {escape(name)} {escape(status)}</li>" for code, name, status in rows
    )
    return HttpResponse(f"<!DOCTYPE html><title>bare</title><ul>{items}</ul>")


@require_GET
def bare_page(request):
    """The same rows and query in the portal's layout (menu, header, footer): what any
    page costs before it does anything of its own."""
    rows = (
        Registration.objects.filter(organization=request.organization)
        .order_by("-updated_at", "pk")
        .values_list("code", "name", "status")[:25]
    )
    return render(request, "benchmark/bare_page.html", {"rows": rows})


urlpatterns = [
    path("__benchmark__/bare/", bare_registrations, name="benchmark_bare"),
    path("__benchmark__/bare-page/", bare_page, name="benchmark_bare_page"),
    *portal_urlpatterns,
]
