"""When a session must pass the second factor, and how the portal sends it there.

Two questions, answered here only:

- ``must_complete_sign_in``: with ``REQUIRE_2FA`` on, office staff, chairmen,
  vice-chairmen and superusers have not finished signing in until they confirm a code
  (or enrol, the first time). ``SecondFactorMiddleware`` keeps them on those pages.
- ``verification_missing``: signing a plan, approving awards, issuing a decision and the
  back office need a verified session from anyone who must use a second factor or has
  enrolled one, whether or not ``REQUIRE_2FA`` is on. ``otp_required_for_signing``
  guards those views; the admin site's gate asks the same question.
"""

from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from danvan.accounts.selectors import has_second_factor, needs_second_factor


def is_verified(user) -> bool:
    """Whether this request's session passed the second factor (django-otp's flag)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def must_complete_sign_in(request) -> bool:
    user = request.user
    return (
        settings.REQUIRE_2FA
        and user.is_authenticated
        and needs_second_factor(user)
        and not is_verified(user)
    )


def verification_missing(request) -> bool:
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    return (settings.REQUIRE_2FA and needs_second_factor(user)) or has_second_factor(user)


def second_factor_url(user, next_url: str) -> str:
    """The code page if the user has enrolled, else the enrolment page, returning to
    ``next_url`` afterwards."""
    name = "accounts:otp_verify" if has_second_factor(user) else "accounts:otp_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def safe_next(request, fallback: str | None = None) -> str:
    """The ``next`` parameter if it stays on this site, else ``fallback`` or home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback or reverse(settings.LOGIN_REDIRECT_URL)


def _return_to(request) -> str:
    """Where to come back after the code: this page, or for a form sent by POST (which
    is not repeated) the page the form was on."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse(settings.LOGIN_REDIRECT_URL)


def redirect_to_second_factor(request):
    if request.method != "GET":
        messages.warning(request, _("Hãy nhập mã xác thực, rồi thực hiện lại thao tác vừa chọn."))
    return redirect(second_factor_url(request.user, _return_to(request)))


def otp_required_for_signing(view):
    """For views that sign or approve: an unverified session goes to the code page first."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if verification_missing(request):
            return redirect_to_second_factor(request)
        return view(request, *args, **kwargs)

    return guarded


def second_factor_exempt(view):
    """Pages a user who has not finished signing in may still open (the code and
    enrolment pages, logging out, choosing the language)."""
    view.second_factor_exempt = True
    return view


def secret_text(key_hex: str) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    secret = b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str) -> str:
    """An inline SVG QR code, drawn here: no image service, nothing the CSP forbids."""
    return segno.make(data, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", omitsize=True
    )
