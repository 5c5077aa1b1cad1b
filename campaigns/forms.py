from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.accounts.models import IssuingBody
from danvan.forms import DateInput, PortalForm, VersionedForm


class CampaignForm(VersionedForm):
    class Meta:
        model = Campaign
        fields = [
            "year",
            "name",
            "form",
            "issuing_body",
            "document_kind",
            "stage",
            "end_year",
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

    STAGE_LABELS = {
        "mid_year_review_starts": _("Sơ kết giữa giai đoạn: từ ngày"),
        "mid_year_review_ends": _("Sơ kết giữa giai đoạn: đến ngày"),
        "year_end_review_starts": _("Tổng kết giai đoạn: từ ngày"),
        "year_end_review_ends": _("Tổng kết giai đoạn: đến ngày"),
        "year": _("Từ năm"),
        "name": _("Tên giai đoạn"),
    }

    def __init__(self, *args, organization, kind=Campaign.Kind.YEARLY, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = self.instance.kind if self.instance.pk else kind
        if self.kind == Campaign.Kind.STAGE:
            # A stage has no registration window and belongs to no other stage.
            for name in ("registration_opens", "registration_deadline", "stage"):
                del self.fields[name]
            self.fields["end_year"].required = True
            for name, label in self.STAGE_LABELS.items():
                self.fields[name].label = label
        else:
            del self.fields["end_year"]
            stages = Campaign.objects.filter(
                organization=organization, kind=Campaign.Kind.STAGE
            ).order_by("-year")
            self.fields["stage"].queryset = stages
            self.fields["stage"].empty_label = _("Không thuộc giai đoạn nào")
            if not stages:
                del self.fields["stage"]
        bodies = IssuingBody.objects.filter(organization=organization, is_active=True)
        if self.instance.issuing_body_id:
            bodies = bodies | IssuingBody.objects.filter(pk=self.instance.issuing_body_id)
        self.fields["issuing_body"].queryset = bodies
        self.fields["issuing_body"].empty_label = _("Ủy ban nhân dân")
        self.fields["document_kind"].required = False  # a plan (kế hoạch) unless chosen

    def clean_document_kind(self):
        return self.cleaned_data.get("document_kind") or Campaign.DocumentKind.PLAN

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


class BodyIssueForm(PortalForm):
    """Recording the launching document the Party committee or the Front signed on paper."""

    signer_name = forms.CharField(label=_("Người ký"), max_length=150)
    deputy = forms.BooleanField(
        label=_("Cấp phó ký"), required=False, help_text=_("Ví dụ Phó Bí thư, Phó Chủ tịch.")
    )
    signed_on = forms.DateField(label=_("Ngày ký"), widget=DateInput)
    number = forms.IntegerField(
        label=_("Số văn bản (theo sổ của cơ quan)"),
        required=False,
        min_value=1,
        max_value=99_999,
        help_text=_("Để trống để lấy số tiếp theo."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(
                _("Ngày ký không được sau hôm nay: hãy ghi ngày trên văn bản đã ký."),
                code="future",
            )
        return signed_on
