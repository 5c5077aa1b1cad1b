from django import forms

from danvan.forms import PortalForm
from notifications.models import Frequency, Kind


class PreferencesForm(PortalForm):
    """One choice per kind of notification: e-mail at once, in the daily digest, or never."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Frequency.choices, widget=forms.RadioSelect
            )
