from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.forms import DateInput, VersionedForm


class CampaignForm(VersionedForm):
    class Meta:
        model = Campaign
        fields = [
            "year",
            "name",
            "form",
            "registration_opens",
            "registration_deadline",
            "mid_year_review_starts",
            "mid_year_review_ends",
            "year_end_review_starts",
            "year_end_review_ends",
            "nomination_deadline",
            "plan_number",
            "plan_issue_date",
            "plan_subject",
            "plan_introduction",
            "plan_closing",
            "recipients",
            "signing_mode",
        ]
        widgets = {
            "registration_opens": DateInput,
            "registration_deadline": DateInput,
            "mid_year_review_starts": DateInput,
            "mid_year_review_ends": DateInput,
            "year_end_review_starts": DateInput,
            "year_end_review_ends": DateInput,
            "nomination_deadline": DateInput,
            "plan_issue_date": DateInput,
            "plan_subject": forms.Textarea(attrs={"rows": 2}),
            "plan_introduction": forms.Textarea(attrs={"rows": 4}),
            "plan_closing": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }

    def _post_clean(self):
        # The service validates the campaign in full (year, key dates) and reports back
        # field by field; validating here too would only say it twice.
        pass


class LegalBasisForm(VersionedForm):
    document_date_fields = ("issued_on",)

    class Meta:
        model = LegalBasis
        fields = ["kind", "number", "issued_on", "issuer", "title"]
        widgets = {"issued_on": DateInput, "title": forms.Textarea(attrs={"rows": 2})}


class SectionForm(VersionedForm):
    class Meta:
        model = Section
        fields = ["title"]


class ItemForm(VersionedForm):
    class Meta:
        model = Item
        fields = ["lead", "text", "role"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        labels = {"role": _("Ý nghĩa của điểm")}
