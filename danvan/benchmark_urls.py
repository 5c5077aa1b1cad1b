"""The portal's URLs plus the bare baseline view, for benchmarks and load tests only.

Mounted by the ``benchmark`` command (in-process) and, for a load test, by setting
``BENCHMARK_VIEWS=1`` on the server; never in production.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape
from django.views.decorators.http import require_GET

from danvan.db.expressions import bigint
from danvan.urls import urlpatterns as portal_urlpatterns
from models_registry.models import Registration
from models_registry.rules import VISIBLE_TO_OFFICE
from models_registry.selectors import search
from models_registry.views import PAGE_SIZE, registration_list_context


def _same_rows(request):
    """The 25 rows the review queue shows office staff for the same ``status``, ``q`` and
    ``page``, in one indexed query: the organisation's latest changes through
    ``registration_org_updated`` (or ``registration_org_status`` with a status), and a
    search through the trigram index on the folded text."""
    rows = Registration.objects.filter(
        organization_id=bigint(request.organization.pk), status__in=VISIBLE_TO_OFFICE
    )
    if status := request.GET.get("status"):
        rows = rows.filter(status=status)
    rows = search(rows, request.GET.get("q", ""))
    page = request.GET.get("page", "1")
    start = (int(page) - 1) * PAGE_SIZE if page.isdigit() and int(page) > 0 else 0
    return rows.order_by("-updated_at", "pk").values_list("code", "name", "status")[
        start : start + PAGE_SIZE
    ]


@require_GET
def bare_registrations(request):
    """The baseline: the review queue's rows (see ``_same_rows``), no template."""
    items = "".join(
        f"<li>{escape(code)} {escape(name)} {escape(status)}</li>"
        for code, name, status in _same_rows(request)
    )
    return HttpResponse(f"<!DOCTYPE html><title>bare</title><ul>{items}</ul>")


@require_GET
def bare_page(request):
    """The same rows and query in the portal's layout (menu, header, footer): what any
    page costs before it does anything of its own."""
    return render(request, "benchmark/bare_page.html", {"rows": _same_rows(request)})


# The review queue's context per (session, query string), computed once.
_queue_contexts: dict[tuple[str, str], dict] = {}


@require_GET
def queue_template(request):
    """The review queue as its own view renders it, from a context that view computed
    once (the first time this process was asked for it in the same session, with the
    same query): what the page costs with no data work at all, the least any change to
    its queries could bring it to."""
    key = (request.session.session_key, request.GET.urlencode())
    if key not in _queue_contexts:
        _queue_contexts[key] = registration_list_context(request)
    return render(request, "models_registry/list.html", _queue_contexts[key])


@require_GET
def queue_anew(request):
    """The review queue built anew on every request, as its view does when the database
    has changed since the session last saw it (``cache_while_unchanged`` left out)."""
    return render(request, "models_registry/list.html", registration_list_context(request))


urlpatterns = [
    path("__benchmark__/bare/", bare_registrations, name="benchmark_bare"),
    path("__benchmark__/bare-page/", bare_page, name="benchmark_bare_page"),
    path("__benchmark__/queue-template/", queue_template, name="benchmark_queue_template"),
    path("__benchmark__/queue-anew/", queue_anew, name="benchmark_queue_anew"),
    *portal_urlpatterns,
]
