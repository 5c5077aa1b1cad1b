"""Form pieces shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def show_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the fields it names (where
    the form has them), the rest at the top. The form keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a message after a button (no form to show it on)."""
    return " ".join(error.messages)


class DateInput(forms.DateInput):
    """The browser's date picker (a native one on phones); shown as dd/mm/yyyy by the browser."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from, so a concurrent edit is refused, not lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def apply_service_error(self, error) -> None:
        show_service_error(self, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos from a phone); cleans to a list, empty if none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReasonForm(forms.Form):
    """Why: returning, rejecting, withdrawing, revoking. Whether a reason is required is
    the service's to say (see danvan.workflow.Move.needs_reason)."""

    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    @classmethod
    def for_item(cls, key, **kwargs) -> "ReasonForm":
        """One of several on a page (one per button or row): ids stay unique."""
        return cls(auto_id=f"id_reason_{key}_%s", **kwargs)


class RegisterNumberForm(forms.Form):
    """The number the văn thư gives a document from the register, typed at issue time by
    an organisation that numbers from its register (``Organization.numbers_from_register``)."""

    number = forms.IntegerField(
        label=_("Số văn bản (theo sổ đăng ký của văn thư)"),
        min_value=1,
        max_value=99_999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = required
