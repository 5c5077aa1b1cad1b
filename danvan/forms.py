"""Form pieces shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


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
