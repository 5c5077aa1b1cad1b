from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from danvan.accounts import selectors, services
from danvan.accounts.forms import (
    EnrolForm,
    OwnPasswordChangeForm,
    PortalLoginForm,
    ProfileForm,
    ResetPasswordForm,
    SecondFactorForm,
)
from danvan.accounts.middleware import SESSION_KEY
from danvan.accounts.second_factor import (
    is_verified,
    qr_svg,
    safe_next,
    second_factor_exempt,
    second_factor_url,
    secret_text,
    verification_missing,
)

ENROL_KEY_SESSION = "otp_enrol_key"


class LoginView(auth_views.LoginView):
    """The password step; someone who must or can use a second factor goes on to it."""

    authentication_form = PortalLoginForm

    def get_success_url(self):
        url = super().get_success_url()
        if url == reverse("accounts:logout"):
            url = reverse("home")  # not back to the sign-out just asked for before
        if verification_missing(self.request):
            return second_factor_url(self.request.user, url)
        return url


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Signing out is a form's POST. Pressed on a page whose session had already ended
    (another tab, an expired session), it just leads to the sign-in page; an address
    typed or followed (GET) leads home, never to a blank "method not allowed"."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return redirect("home" if request.user.is_authenticated else settings.LOGIN_URL)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


@require_POST
def organization_switch(request):
    """Work in another of the user's organisations from now on."""
    try:
        wanted = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404 from None
    organization = next((o for o in request.organizations if o.pk == wanted), None)
    if organization is None:
        raise Http404
    request.session[SESSION_KEY] = organization.pk
    messages.success(request, _("Đang làm việc tại: %(name)s.") % {"name": organization.name})
    return redirect("home")


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(actor=request.user, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        return redirect("accounts:profile")
    device = selectors.totp_device_for(request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "totp_device": device,
            "backup_codes_left": selectors.backup_codes_left(request.user) if device else 0,
        },
    )


# Second factor ---------------------------------------------------------------------


def _mark_verified(request, device) -> None:
    # A new session key for the raised trust, as at login.
    request.session.cycle_key()
    otp_login(request, device)


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """“Nhập mã xác thực”: the second step of signing in, or before signing."""
    next_url = safe_next(request)
    if is_verified(request.user):
        return redirect(next_url)
    if not selectors.has_second_factor(request.user):
        return redirect(second_factor_url(request.user, next_url))
    form = SecondFactorForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        _mark_verified(request, form.device)
        if not isinstance(form.device, TOTPDevice):
            left = selectors.backup_codes_left(request.user)
            messages.warning(
                request,
                _("Bạn vừa dùng một mã dự phòng; còn %(count)s mã. Mỗi mã chỉ dùng được một lần.")
                % {"count": left},
            )
        return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@second_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Add an authenticator app: QR code and secret, then the first code to confirm it.

    The secret waits in the session until confirmed, so opening the page writes
    nothing. Replacing an app that is already set up needs a verified session."""
    next_url = safe_next(request)
    user = request.user
    if selectors.has_second_factor(user) and not is_verified(user):
        return redirect(second_factor_url(user, request.get_full_path()))
    key = request.session.get(ENROL_KEY_SESSION)
    if not key:
        key = random_hex(20)
        request.session[ENROL_KEY_SESSION] = key
    form = EnrolForm(key, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, codes = services.second_factor_enrol(user=user, key=key, last_t=form.time_step)
        del request.session[ENROL_KEY_SESSION]
        _mark_verified(request, device)
        return render(
            request,
            "accounts/otp_backup_codes.html",
            {"codes": codes, "next": next_url, "enrolled": True},
        )
    config_url = TOTPDevice(user=user, key=key).config_url
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": qr_svg(config_url),
            "secret": secret_text(key),
            "replacing": selectors.has_second_factor(user),
        },
    )


@never_cache
@require_POST
def otp_backup_codes(request):
    """Ten new backup codes, shown once; the old ones stop working."""
    if not is_verified(request.user):
        return redirect(second_factor_url(request.user, reverse("accounts:profile")))
    codes = services.backup_codes_regenerate(user=request.user)
    return render(
        request,
        "accounts/otp_backup_codes.html",
        {"codes": codes, "next": reverse("accounts:profile"), "enrolled": False},
    )
