from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Unit
from danvan.forms import (
    CountField,
    DateInput,
    MoneyField,
    MultipleFileField,
    PortalForm,
    VersionedForm,
)
from danvan.text import natural_sort_key
from models_registry.models import Field, FormQuestion, Partner, Registration
from models_registry.questions import (
    COLUMN_KEYS,
    EXTRA_KIND_CHOICES,
    EXTRA_NUMBER_LIMIT,
    EXTRA_TEXT_LIMIT,
    OWNER_COLUMNS,
    shown_questions,
)
from models_registry.selectors import SORTS

TEXTAREA_ROWS = {
    "situation": 3,
    "objectives": 3,
    "success_measures": 2,
    "content_methods": 4,
    "beneficiaries": 2,
    "expected_outputs": 3,
    "sustainability": 3,
}


class RegistrationForm(VersionedForm):
    """A registration as the campaign's form asks it: its shown questions, labelled,
    explained and required as the office set them, with the questions it added. Hidden
    questions are not on the form, so saving leaves their stored answers alone."""

    class Meta:
        model = Registration
        fields = [*COLUMN_KEYS, *OWNER_COLUMNS]
        widgets = {
            "start_date": DateInput,
            "evaluation_date": DateInput,
            **{name: forms.Textarea(attrs={"rows": rows}) for name, rows in TEXTAREA_ROWS.items()},
            "person_in_charge_phone": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "tel"}
            ),
            "owner_kind": forms.RadioSelect,
        }
        field_classes = {
            "budget_vnd": MoneyField,
            "contributions_vnd": MoneyField,
            "workdays": CountField,
        }

    def __init__(self, *args, organization, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = shown_questions(campaign)
        asked = {question.key: question for question in self.questions}
        for name in list(self.fields):
            if name == "version":
                continue
            key = "owner" if name in OWNER_COLUMNS else name
            if key not in asked:
                del self.fields[name]
        for question in self.questions:
            if question.extra:
                self.fields[question.form_name] = _extra_field(question)
                if self.instance.pk and not self.is_bound:
                    self.initial[question.form_name] = (self.instance.answers or {}).get(
                        question.key
                    )
            elif question.kind == "owner":
                self._ask_owner(question)
            elif question.form_name in self.fields:
                field = self.fields[question.form_name]
                field.label = question.label
                field.help_text = question.help_text or field.help_text
                field.required = question.required
        if "field" in self.fields:
            # The organisation's fields in use, and the one a record already has (retired or not).
            in_use = Q(is_active=True) | Q(pk=self.instance.field_id or 0)
            self.fields["field"].queryset = Field.objects.filter(in_use, organization=organization)
            self.fields["field"].empty_label = None if self.fields["field"].required else "—"

    def _ask_owner(self, question) -> None:
        kind = self.fields["owner_kind"]
        kind.label = _("Mô hình của")
        kind.help_text = question.help_text
        kind.required = False  # unanswered is a collective, the unit itself
        kind.choices = list(Registration.Owner.choices)

    def full_clean(self):
        # A draft is saved unfinished, so a unit can fill it in over several sittings:
        # only its name is needed here, and the questions the campaign requires are
        # checked when it is sent (``questions.missing``). The fields stay marked required.
        required = {name: field.required for name, field in self.fields.items()}
        for name, field in self.fields.items():
            field.required = name == "name"
        try:
            super().full_clean()
        finally:
            for name, field in self.fields.items():
                field.required = required[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner_kind") == Registration.Owner.INDIVIDUAL and not cleaned.get(
            "owner_name"
        ):
            self.add_error("owner_name", _("Hãy ghi họ và tên của cá nhân chủ thể mô hình."))
        if "owner_kind" in self.fields and not cleaned.get("owner_kind"):
            cleaned["owner_kind"] = Registration.Owner.COLLECTIVE
        return cleaned

    def service_data(self) -> dict:
        """What the services take: the asked columns, and ``answers`` to added questions."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not name.startswith("answer_")
        }
        if data.get("owner_kind") == Registration.Owner.COLLECTIVE:
            data["owner_name"] = data["owner_position"] = ""
        data["answers"] = {
            question.key: self.cleaned_data.get(question.form_name)
            for question in self.questions
            if question.extra
        }
        return data


@dataclass(frozen=True)
class FormRow:
    """One numbered question of the registration form as the page lays it out."""

    number: int
    question: object
    fields: tuple = ()
    formsets: tuple = ()


def registration_form_rows(form, partners, milestones) -> list[FormRow]:
    rows = []
    for number, question in enumerate(form.questions, start=1):
        if question.kind == "partners":
            rows.append(FormRow(number, question, formsets=tuple(partners)))
        elif question.kind == "milestones":
            rows.append(FormRow(number, question, formsets=(("", milestones),)))
        elif question.kind == "owner":
            fields = tuple(form[name] for name in OWNER_COLUMNS)
            rows.append(FormRow(number, question, fields=fields))
        else:
            form.fields[question.form_name].label = f"{number}. {question.label}"
            rows.append(FormRow(number, question, fields=(form[question.form_name],)))
    return rows


def _extra_field(question) -> forms.Field:
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    if question.kind == FormQuestion.Kind.NUMBER:
        return CountField(limit=EXTRA_NUMBER_LIMIT, **common)
    if question.kind == FormQuestion.Kind.LONG_TEXT:
        return forms.CharField(
            max_length=EXTRA_TEXT_LIMIT[question.kind],
            widget=forms.Textarea(attrs={"rows": 3}),
            **common,
        )
    return forms.CharField(max_length=EXTRA_TEXT_LIMIT[FormQuestion.Kind.TEXT], **common)


class LeadUnitForm(PortalForm):
    """Which of the officer's units leads the model (officers of several units choose)."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), empty_label=None
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PartnerForm(PortalForm):
    unit = forms.TypedChoiceField(required=False, label=_("Đơn vị"), coerce=int, empty_value=None)
    outside_name = forms.CharField(
        required=False, max_length=200, label=_("hoặc tổ chức bên ngoài")
    )
    role = forms.CharField(required=False, max_length=300, label=_("Vai trò"))

    def __init__(self, *args, units: dict[int, Unit], part: str = "", **kwargs):
        # ``units`` is fetched once for the whole formset, not once per row.
        super().__init__(*args, **kwargs)
        self.units = units
        # In a list of one force (lead, cooperate, take part), the role is optional.
        self.part = part
        if part:
            self.fields["role"].label = _("Việc đảm nhận (nếu cần)")
        self.fields["unit"].choices = [("", "—")] + sorted(
            ((pk, unit.name) for pk, unit in units.items()),
            key=lambda choice: natural_sort_key(choice[1]),
        )
        if isinstance(self.initial.get("unit"), Unit):
            self.initial["unit"] = self.initial["unit"].pk

    def clean_unit(self):
        pk = self.cleaned_data["unit"]
        return self.units.get(pk) if pk else None

    def clean(self):
        cleaned = super().clean()
        someone = cleaned.get("unit") or cleaned.get("outside_name")
        if someone and not cleaned.get("role") and not self.part:
            self.add_error("role", _("Hãy ghi vai trò của đơn vị phối hợp."))
        if cleaned.get("role") and not someone:
            self.add_error("unit", _("Chọn một đơn vị hoặc ghi tên tổ chức bên ngoài."))
        return cleaned


class MilestoneForm(PortalForm):
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


def partner_formsets(data, *, units, question, partners=None) -> list[tuple[str, object]]:
    """The partner lists the form asks: one list with each partner's role, or (when the
    campaign's form splits the forces) the lead, cooperating and taking-part forces."""
    if question is None:
        return []
    if not question.partner_parts:
        initial = None if partners is None else [_partner_initial(p) for p in partners]
        formset = PartnerFormSet(
            data, prefix="partners", initial=initial, form_kwargs={"units": units}
        )
        return [("", formset)]
    formsets = []
    for value, label in Partner.Part.choices:
        initial = (
            None if partners is None else [_partner_initial(p) for p in partners if p.part == value]
        )
        formset = PartnerFormSet(
            data,
            prefix=f"partners-{value}",
            initial=initial,
            form_kwargs={"units": units, "part": value},
        )
        formsets.append((str(label), formset))
    return formsets


def _partner_initial(partner) -> dict:
    return {"unit": partner.unit, "outside_name": partner.outside_name, "role": partner.role}


def partner_rows(formsets) -> list[dict] | None:
    """The partners typed, in order, each with its force; None when the form does not ask."""
    if not formsets:
        return None
    rows = []
    for _label, formset in formsets:
        for form in formset.forms:
            data = form.cleaned_data
            if not data or not (data.get("unit") or data.get("outside_name")):
                continue
            rows.append(
                {
                    "unit": data.get("unit"),
                    "outside_name": data.get("outside_name", ""),
                    "role": data.get("role", ""),
                    "part": form.part,
                }
            )
    return rows


def milestone_rows(formset) -> list[dict] | None:
    if formset is None:
        return None
    return [
        {"due_on": f.cleaned_data["due_on"], "description": f.cleaned_data["description"]}
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("due_on")
    ]


class EvidenceForm(PortalForm):
    files = MultipleFileField(
        label=_("Ảnh, tệp minh chứng"),
        help_text=_("Ảnh (JPG, PNG, WEBP, HEIC), PDF, DOCX hoặc XLSX."),
    )


class ProgressReportForm(PortalForm):
    reported_on = forms.DateField(label=_("Ngày báo cáo"), widget=DateInput)
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 5}))
    people_reached = CountField(label=_("Số người được hưởng lợi"), required=False)
    money_raised_vnd = MoneyField(label=_("Kinh phí huy động (đồng)"), required=False)
    files = MultipleFileField(label=_("Ảnh, tệp minh chứng"), required=False)

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                _("Ngày báo cáo không được sau hôm nay (%(today)s).")
                % {"today": today.strftime("%d/%m/%Y")},
                code="future",
            )
        return day


class CommentForm(PortalForm):
    body = forms.CharField(
        label=_("Nội dung trao đổi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class LateExceptionForm(PortalForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))
    expires_on = forms.DateField(label=_("Được gửi đến hết ngày"), widget=DateInput)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=300)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class LateRequestForm(PortalForm):
    """A unit officer asks for more time to register: why, and until which day."""

    reason = forms.CharField(
        label=_("Lý do đề nghị gia hạn"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vì sao đơn vị chưa gửi đăng ký kịp hạn."),
    )
    wished_until = forms.DateField(label=_("Xin được gửi đến hết ngày"), widget=DateInput)

    def clean_wished_until(self):
        # Said at once with the other fields' errors; the service checks it again, with
        # the campaign's own limit.
        wished_until = self.cleaned_data["wished_until"]
        if wished_until < timezone.localdate():
            raise forms.ValidationError(_("Ngày gia hạn phải từ hôm nay trở đi."))
        return wished_until


class LateGrantForm(PortalForm):
    """The office grants a request, until the day it chooses (the wished day by default)."""

    expires_on = forms.DateField(label=_("Cho gửi đến hết ngày"), widget=DateInput)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    @classmethod
    def for_request(cls, late_request, data=None) -> "LateGrantForm":
        return cls(
            data,
            prefix=f"grant-{late_request.pk}",
            initial={"expires_on": late_request.wished_until},
        )


class LateRefuseForm(PortalForm):
    """The office refuses a request; the unit is told why."""

    reason = forms.CharField(
        label=_("Lý do không cho gia hạn"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def for_request(cls, late_request, data=None) -> "LateRefuseForm":
        return cls(data, prefix=f"refuse-{late_request.pk}")


class FilterForm(PortalForm):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    campaign = forms.TypedChoiceField(
        label=_("Phong trào"), required=False, coerce=int, empty_value=None
    )
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    group = forms.TypedChoiceField(
        label=_("Nhóm đơn vị"), required=False, coerce=int, empty_value=None
    )
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

    def __init__(self, *args, campaigns, fields, units, statuses, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        groups = list(groups)
        if groups:
            self.fields["group"].choices = everything + [(g.pk, g.name) for g in groups]
        else:
            del self.fields["group"]
        self.fields["campaign"].choices = everything + [(c.pk, c.name) for c in campaigns]
        self.fields["field"].choices = everything + [(f.pk, str(f)) for f in fields]
        self.fields["unit"].choices = everything + [
            (u.pk, u.name) for u in sorted(units, key=lambda unit: natural_sort_key(unit.name))
        ]
        self.fields["status"].choices = everything + list(statuses)
        # The default order first, so that the select shows the order of the list.
        self.fields["sort"].choices = [
            (key, label) for key, label in self.SORT_LABELS.items() if key in SORTS
        ]

    def clean_q(self):
        value = self.cleaned_data["q"]
        if value and len(value.strip()) < 2:
            raise ValidationError(_("Nhập ít nhất 2 ký tự để tìm."))
        return value.strip()


class QuestionForm(PortalForm):
    """One question of the campaign's registration form, as the office sets it."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Loại câu hỏi"),
        required=False,
        choices=[("", "—"), *[(k.value, k.label) for k in EXTRA_KIND_CHOICES]],
    )
    label = forms.CharField(label=_("Tên mục"), required=False, max_length=200)
    help_text = forms.CharField(label=_("Hướng dẫn"), required=False, max_length=300)
    position = forms.IntegerField(
        label=_("Thứ tự"),
        min_value=0,
        max_value=30000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "question-position"}),
    )
    shown = forms.BooleanField(label=_("Hiện"), required=False)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)
    partner_parts = forms.BooleanField(
        label=_("Tách lực lượng chủ trì, phối hợp, tham gia"), required=False
    )

    def __init__(self, *args, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question is not None:
            self.fields["kind"].disabled = True
            self.fields["label"].widget.attrs["placeholder"] = (
                question.standard_label or question.label
            )
            if question.fixed:
                for name in ("shown", "required"):
                    self.fields[name].disabled = True
        else:
            self.fields["position"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.question is None and cleaned.get("label") and not cleaned.get("kind"):
            self.add_error("kind", _("Hãy chọn loại của câu hỏi thêm."))
        if self.question is None and not cleaned.get("label") and self.has_changed():
            self.add_error(
                "label",
                _("Hãy ghi tên mục của câu hỏi thêm, hoặc xoá những gì đã nhập ở dòng này."),
            )
        return cleaned

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        if self.question is not None:
            data["key"] = self.question.key
            data.pop("kind", None)
            if self.question.standard_label and data.get("label") == self.question.standard_label:
                data["label"] = ""  # the standard name, in the reader's language
        elif data.get("position") is None:
            data.pop("position", None)
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def __init__(self, *args, questions, **kwargs):
        self.questions = questions
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["question"] = self.questions[index] if index < len(self.questions) else None
        return kwargs


def question_formset(data, *, questions):
    formset_class = formset_factory(
        QuestionForm, formset=BaseQuestionFormSet, extra=3, max_num=len(questions) + 20
    )
    initial = [
        {
            "key": question.key,
            "kind": "" if not question.extra else question.kind,
            "label": question.label,
            "help_text": question.help_text,
            "position": question.position,
            "shown": question.shown,
            "required": question.required,
            "partner_parts": question.partner_parts,
        }
        for question in questions
    ]
    return formset_class(data, prefix="q", initial=initial, questions=questions)


class FormFingerprintForm(PortalForm):
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class LaunchForm(PortalForm):
    launched_on = forms.DateField(label=_("Ngày ra mắt"), widget=DateInput)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)


class LevelForm(PortalForm):
    level = forms.ChoiceField(
        label=_("Cấp công nhận"),
        choices=[(v, label) for v, label in Registration.Level.choices if v],
    )
    note = forms.CharField(
        label=_("Văn bản, ghi chú"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ số, ngày quyết định công nhận của tỉnh."),
    )


def registration_filters(data, *, user, organization):
    """The list's filter form for ``data`` (a QueryDict or None) and the filters it says;
    the page, its export and the background export read the same."""
    from campaigns.models import Campaign
    from danvan.accounts.models import UnitGroup
    from danvan.accounts.rules import is_office
    from danvan.accounts.selectors import unit_list
    from models_registry.selectors import organization_fields

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
        fields=organization_fields(organization),
        units=unit_list(organization=organization),
        groups=UnitGroup.objects.filter(organization=organization),
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
        group=data.get("group"),
        status=data.get("status") or None,
        query=data.get("q") or "",
        sort=data.get("sort") or DEFAULT_SORT,
    )
