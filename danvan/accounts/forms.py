from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.forms import PortalFormMixin, PortalModelForm


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
