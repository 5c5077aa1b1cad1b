from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Unit
from danvan.forms import DateInput, MultipleFileField, VersionedForm
from models_registry.models import Field, Registration
from models_registry.selectors import SORTS


class RegistrationForm(VersionedForm):
    class Meta:
        model = Registration
        fields = [
            "name",
            "field",
            "situation",
            "objectives",
            "success_measures",
            "content_methods",
            "area",
            "beneficiaries",
            "person_in_charge",
            "person_in_charge_position",
            "person_in_charge_phone",
            "budget_vnd",
            "contributions_vnd",
            "workdays",
            "start_date",
            "evaluation_date",
            "expected_outputs",
            "sustainability",
        ]
        widgets = {
            "start_date": DateInput,
            "evaluation_date": DateInput,
            "situation": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "success_measures": forms.Textarea(attrs={"rows": 2}),
            "content_methods": forms.Textarea(attrs={"rows": 4}),
            "beneficiaries": forms.Textarea(attrs={"rows": 2}),
            "expected_outputs": forms.Textarea(attrs={"rows": 3}),
            "sustainability": forms.Textarea(attrs={"rows": 3}),
            "person_in_charge_phone": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "tel"}
            ),
            "budget_vnd": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1000}),
            "contributions_vnd": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 0, "step": 1000}
            ),
            "workdays": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.filter(is_active=True)
        self.fields["field"].empty_label = None


class LeadUnitForm(forms.Form):
    """Which of the officer's units leads the model (officers of several units choose)."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), empty_label=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PartnerForm(forms.Form):
    unit = forms.TypedChoiceField(required=False, label=_("Đơn vị"), coerce=int, empty_value=None)
    outside_name = forms.CharField(
        required=False, max_length=200, label=_("hoặc tổ chức bên ngoài")
    )
    role = forms.CharField(required=False, max_length=300, label=_("Vai trò"))

    def __init__(self, *args, units: dict[int, Unit], **kwargs):
        # ``units`` is fetched once for the whole formset, not once per row.
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["unit"].choices = [("", "—")] + [(pk, unit.name) for pk, unit in units.items()]
        if isinstance(self.initial.get("unit"), Unit):
            self.initial["unit"] = self.initial["unit"].pk

    def clean_unit(self):
        pk = self.cleaned_data["unit"]
        return self.units.get(pk) if pk else None

    def clean(self):
        cleaned = super().clean()
        someone = cleaned.get("unit") or cleaned.get("outside_name")
        if someone and not cleaned.get("role"):
            self.add_error("role", _("Hãy ghi vai trò của đơn vị phối hợp."))
        if cleaned.get("role") and not someone:
            self.add_error("unit", _("Chọn một đơn vị hoặc ghi tên tổ chức bên ngoài."))
        return cleaned


class MilestoneForm(forms.Form):
    due_on = forms.DateField(required=False, label=_("Thời gian"), widget=DateInput)
    description = forms.CharField(required=False, max_length=300, label=_("Nội dung mốc"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("description") and not cleaned.get("due_on"):
            self.add_error("due_on", _("Hãy chọn thời gian của mốc."))
        if cleaned.get("due_on") and not cleaned.get("description"):
            self.add_error("description", _("Hãy ghi nội dung mốc."))
        return cleaned


PartnerFormSet = formset_factory(PartnerForm, extra=2, max_num=20)
MilestoneFormSet = formset_factory(MilestoneForm, extra=2, max_num=30)


def partner_rows(formset) -> list[dict]:
    return [
        {
            "unit": f.cleaned_data.get("unit"),
            "outside_name": f.cleaned_data.get("outside_name", ""),
            "role": f.cleaned_data["role"],
        }
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("role")
    ]


def milestone_rows(formset) -> list[dict]:
    return [
        {"due_on": f.cleaned_data["due_on"], "description": f.cleaned_data["description"]}
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("due_on")
    ]


class EvidenceForm(forms.Form):
    files = MultipleFileField(
        label=_("Ảnh, tệp minh chứng"),
        help_text=_("Ảnh (JPG, PNG, WEBP, HEIC), PDF, DOCX hoặc XLSX."),
    )


class ProgressReportForm(forms.Form):
    reported_on = forms.DateField(label=_("Ngày báo cáo"), widget=DateInput)
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 5}))
    people_reached = forms.IntegerField(
        label=_("Số người được hưởng lợi"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    money_raised_vnd = forms.IntegerField(
        label=_("Kinh phí huy động (đồng)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    files = MultipleFileField(label=_("Ảnh, tệp minh chứng"), required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Nội dung trao đổi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class LateExceptionForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))
    expires_on = forms.DateField(label=_("Được gửi đến hết ngày"), widget=DateInput)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=300)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    campaign = forms.TypedChoiceField(
        label=_("Phong trào"), required=False, coerce=int, empty_value=None
    )
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False)

    SORT_LABELS = {
        "-updated": _("Mới cập nhật"),
        "code": _("Mã mô hình"),
        "-code": _("Mã mô hình (giảm dần)"),
        "name": _("Tên mô hình"),
        "unit": _("Đơn vị"),
        "status": _("Trạng thái"),
    }

    def __init__(self, *args, campaigns, fields, units, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        self.fields["campaign"].choices = everything + [(c.pk, c.name) for c in campaigns]
        self.fields["field"].choices = everything + [(f.pk, str(f)) for f in fields]
        self.fields["unit"].choices = everything + [(u.pk, u.name) for u in units]
        self.fields["status"].choices = everything + list(statuses)
        self.fields["sort"].choices = [(key, self.SORT_LABELS[key]) for key in SORTS]

    def clean_q(self):
        value = self.cleaned_data["q"]
        if value and len(value.strip()) < 2:
            raise ValidationError(_("Nhập ít nhất 2 ký tự để tìm."))
        return value.strip()


def registration_filters(data, *, user, organization):
    """The list's filter form for ``data`` (a QueryDict or None) and the filters it says;
    the page, its export and the background export read the same."""
    from campaigns.models import Campaign
    from danvan.accounts.rules import is_office
    from danvan.accounts.selectors import unit_list
    from models_registry.models import Registration
    from models_registry.selectors import active_fields

    Status = Registration.Status
    if is_office.test(user, organization):
        statuses = [(value, label) for value, label in Status.choices if value != Status.DRAFT]
    else:
        statuses = Status.choices
    form = FilterForm(
        data or None,
        campaigns=Campaign.objects.filter(organization=organization).exclude(
            status=Campaign.Status.DRAFT
        ),
        fields=active_fields(),
        units=unit_list(organization=organization),
        statuses=statuses,
    )
    return form, filters_of(form)


def filters_of(form):
    from models_registry.selectors import DEFAULT_SORT, RegistrationFilter

    if not form.is_bound or not form.is_valid():
        return RegistrationFilter()
    data = form.cleaned_data
    return RegistrationFilter(
        campaign=data.get("campaign"),
        field=data.get("field"),
        unit=data.get("unit"),
        status=data.get("status") or None,
        query=data.get("q") or "",
        sort=data.get("sort") or DEFAULT_SORT,
    )
