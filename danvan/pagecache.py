"""A page served again from memory while nothing in the database has changed.

PostgreSQL tells the state of everything committed in one short value, its current
snapshot (``pg_current_snapshot()``: one past the highest finished transaction number,
and the transactions below it still open). Every transaction that wrote anything and
ends, committed or rolled back, changes it, and it never comes back to an earlier value
on the same running server: two requests that read the same snapshot see the very same
rows, in every table. The server's start time goes with it, so that a restart, a restore
to an earlier point or a failover to another server never meets an old value again; on
a standby (in recovery) nothing is stored, since its snapshot does not list every open
transaction.

A page decorated with ``cache_while_unchanged`` is therefore stored under the snapshot
read at the start of the request, before the session, the user and their memberships are
read (``DatabaseStateMiddleware``), and a later request that starts on the same snapshot
gets the stored page. What the page shows is never older than that snapshot, and once a
transaction that wrote has ended no request starts on it again: any write anywhere (a
registration saved, a role changed, a session changed) makes every stored page
unreachable, so a stored page is never stale. Under a steady stream of writes pages are
simply built each time, at the cost of one one-row query.

The copies stay in the process's memory (the ``pages`` cache): a restart or a new release
starts afresh. Nothing is stored on SQLite, inside a transaction, for a request that
shows messages, or for a browser that has no CSRF cookie yet (the page's forms carry
tokens of that browser's secret).
"""

import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import URLPattern, URLResolver, get_resolver, get_urlconf
from django.urls.resolvers import RoutePattern
from django.utils import timezone

CACHE = "pages"
STATE_ATTRIBUTE = "database_state"


def database_state() -> str | None:
    """The committed state of the database server, or None where it cannot be told: on
    another database than PostgreSQL, on a standby, and inside a transaction (whose own
    writes the snapshot does not show)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN "
            "pg_postmaster_start_time()::text || ' ' || pg_current_snapshot()::text END"
        )
        return cursor.fetchone()[0]


def cache_while_unchanged(view):
    """Serve ``view``'s page again, unchanged, to the same session asking for the same
    address in the same language on the same day, while the database has not changed."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        state = getattr(request, STATE_ATTRIBUTE, None)
        secret = request.META.get("CSRF_COOKIE")
        if state is None or secret is None or _shows_messages(request):
            return view(request, *args, **kwargs)
        key = _key(request, state, secret, args, kwargs)
        pages = caches[CACHE]
        if (stored := pages.get(key)) is not None:
            content, content_type = stored
            get_token(request)  # the stored forms carry this secret's tokens: keep its cookie
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and request.META.get("CSRF_COOKIE") == secret
            and not _shows_messages(request)
        ):
            pages.set(key, (response.content, response["Content-Type"]))
        return response

    wrapper.cache_while_unchanged = True
    return wrapper


def _shows_messages(request) -> bool:
    return bool(len(messages.get_messages(request)))


def _key(request, state: str, secret: str, args, kwargs) -> str:
    organization = getattr(request, "organization", None)
    parts = (
        state,
        request.session.session_key or "",
        str(request.user.pk),
        str(organization.pk if organization else ""),
        request.LANGUAGE_CODE,
        timezone.localdate().isoformat(),
        secret,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-Boosted", ""),
        repr(args),
        repr(sorted(kwargs.items())),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{digest}"


@functools.cache
def cached_paths(urlconf: str | None) -> frozenset[str]:
    """The addresses (without a variable part) of the views that ``cache_while_unchanged``
    decorates, in ``urlconf``."""
    return frozenset(_decorated_paths(get_resolver(urlconf), "/"))


def _decorated_paths(resolver: URLResolver, prefix: str):
    for entry in resolver.url_patterns:
        if not isinstance(entry.pattern, RoutePattern) or "<" in str(entry.pattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _decorated_paths(entry, route)
        elif isinstance(entry, URLPattern) and getattr(
            entry.callback, "cache_while_unchanged", False
        ):
            yield route


@receiver(setting_changed)
def _forget_pages(**kwargs):
    """A page depends on the settings too: a change of them (in tests) forgets every
    stored page and the addresses found."""
    if CACHE in settings.CACHES:
        caches[CACHE].clear()
    cached_paths.cache_clear()


class DatabaseStateMiddleware:
    """Reads the database's state at the start of a request for a page that
    ``cache_while_unchanged`` decorates, before anything else is read: placed before
    the session and the user are loaded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path_info in cached_paths(get_urlconf()):
            setattr(request, STATE_ATTRIBUTE, database_state())
        return self.get_response(request)
