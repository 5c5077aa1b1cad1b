from django import forms
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP

from danvan.accounts.models import User
from danvan.forms import PortalForm, PortalFormMixin, PortalModelForm


class PortalLoginForm(PortalFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa và chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocomplete="username")


class PasswordResetRequestForm(PortalFormMixin, PasswordResetForm):
    """Sends the reset link to active accounts with that e-mail; says the same either way."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        # Accounts created by the office or an import have no password yet; the reset
        # link is how their owners choose one, so they are not excluded as Django does.
        return User._default_manager.filter(email__iexact=email, is_active=True)


class ProfileForm(PortalModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "position_title"]


class AuditedPasswordMixin:
    """Password forms whose save goes through ``services.user_password_save``: the
    permission check and the audit event happen in one place for every way of
    setting a password."""

    audit_action = "user.password_change"

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        from danvan.accounts import services

        user = super().save(commit=False)  # hashes the new password onto the user
        if commit:
            user = services.user_password_save(
                actor=self.actor or user, user=user, action=self.audit_action
            )
        return user


class OwnPasswordChangeForm(PortalFormMixin, AuditedPasswordMixin, PasswordChangeForm):
    pass


class ResetPasswordForm(PortalFormMixin, AuditedPasswordMixin, SetPasswordForm):
    audit_action = "user.password_reset"


class AdminSetPasswordForm(PortalFormMixin, AuditedPasswordMixin, AdminPasswordChangeForm):
    pass


class SecondFactorForm(PortalForm):
    """A code from the authenticator app, or one of the backup codes."""

    token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_token(self):
        from danvan.accounts import services

        self.device = services.second_factor_verify(
            user=self.user, token=self.cleaned_data["token"]
        )
        return self.cleaned_data["token"]


class EnrolForm(PortalForm):
    """The first code from a newly added authenticator app, proving it was set up."""

    token = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, key_hex: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_hex = key_hex
        self.time_step = None

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        totp = TOTP(bytes.fromhex(self.key_hex))
        if not (token.isdigit() and len(token) == 6 and totp.verify(int(token), tolerance=1)):
            raise forms.ValidationError(
                _(
                    "Mã không đúng. Hãy kiểm tra giờ trên điện thoại là giờ tự động "
                    "và nhập mã đang hiện."
                )
            )
        self.time_step = totp.t()
        return token
