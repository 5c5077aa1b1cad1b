from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    """The client's address for login throttling.

    Behind a reverse proxy REMOTE_ADDR is the proxy; the client is the entry the
    outermost trusted proxy appended to X-Forwarded-For (earlier entries can be forged).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return remote


# The throttle's records keep at most this much of a typed username (django-axes stores it
# in a 255-character column); a longer one is one that no account has anyway.
USERNAME_KEPT = 150


def username(request, credentials) -> str:
    """The username a sign-in attempt is counted under: what was typed, cut to the length
    any account's username can have, so that pasting a novel into the box is refused like
    any wrong name instead of failing."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(typed)[:USERNAME_KEPT]


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login form while a username is locked out."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
