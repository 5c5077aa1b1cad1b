import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from danvan.forms import DateInput, MultipleFileField, PortalForm, VersionedForm
from evaluations.models import Criterion, Round
from evaluations.scoring import NotANumber, TooManyDecimals, parse_points, points_text
from evaluations.services import points_field


class PointsInput(forms.TextInput):
    """One box per criterion, with the phone's decimal keypad.

    A text box rather than ``type="number"``: a browser empties a number box holding
    "7,5" (the Vietnamese decimal comma) or a typo, so the form could neither read nor
    give back what was typed. The server reads "7,5" and "7.5" alike and checks the range.
    """

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "decimal",
            "pattern": r"[0-9]+([,.][0-9]{1,2})?",
            "autocomplete": "off",
            "size": "6",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


class PointsField(forms.CharField):
    """Points typed as "8", "7,5" or "7.5": refused with a clear message when not a
    number, with more than two decimals, or outside 0 to the maximum. The typed text is
    kept in the form when it is wrong."""

    def __init__(self, *, maximum: Decimal | None = None, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("widget", PointsInput())
        kwargs.setdefault("error_messages", {"required": _("Hãy nhập điểm tiêu chí này.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            points = parse_points(text)
        except NotANumber:
            raise ValidationError(
                _("“%(value)s” không phải là số. Hãy nhập số, ví dụ 8 hoặc 7,5.")
                % {"value": text[:20]},
                code="not_a_number",
            ) from None
        except TooManyDecimals:
            raise ValidationError(
                _("Điểm chỉ lấy đến hai chữ số thập phân, ví dụ 7,25."), code="decimals"
            ) from None
        if points < 0 or (self.maximum is not None and points > self.maximum):
            raise ValidationError(
                _("Điểm phải từ 0 đến %(max)s (điểm tối đa của tiêu chí).")
                % {"max": points_text(self.maximum)},
                code="range",
            )
        return points


class CriterionScoresForm(PortalForm):
    """Points and a comment for every criterion; the subclass adds the rest."""

    comment_label = _("Nhận xét")

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[points_field(criterion.pk)] = PointsField(
                label=criterion.title,
                maximum=criterion.max_points,
                help_text=_("Tối đa %(max)s điểm") % {"max": points_text(criterion.max_points)},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=self.comment_label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def criterion_fields(self):
        """(criterion, points field, comment field) for the template, in order."""
        for criterion in self.criteria:
            yield criterion, self[points_field(criterion.pk)], self[f"comment_{criterion.pk}"]

    @property
    def points(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data.get(points_field(c.pk)) for c in self.criteria}

    @property
    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}

    @property
    def error_count(self) -> int:
        return sum(len(errors) for name, errors in self.errors.items() if name != "__all__")

    @staticmethod
    def initial_from(rows) -> dict:
        """Initial values from saved score rows (points written as Vietnamese do)."""
        initial = {}
        for row in rows:
            initial[points_field(row.criterion_id)] = points_text(row.points)
            initial[f"comment_{row.criterion_id}"] = row.comment
        return initial


class ScoreForm(CriterionScoresForm):
    inspected_on = forms.DateField(label=_("Ngày kiểm tra"), required=False, widget=DateInput)
    findings = forms.CharField(
        label=_("Nhận xét chung, kiến nghị"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SelfAssessmentForm(CriterionScoresForm):
    comment_label = _("Giải trình")

    narrative = forms.CharField(
        label=_("Báo cáo tự đánh giá"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Hãy viết vài dòng tự đánh giá kết quả thực hiện.")},
    )
    evidence = forms.CharField(
        label=_("Minh chứng kèm theo"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Văn bản, số liệu, hình ảnh chứng minh kết quả; có thể đính kèm tệp."),
    )
    files = MultipleFileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("Ảnh (JPG, PNG, WEBP, HEIC), PDF, DOCX hoặc XLSX."),
    )


class RoundForm(VersionedForm):
    class Meta:
        model = Round
        fields = ["kind", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def _post_clean(self):
        # The service validates the round in full and reports back field by field.
        pass

    def suggest_by_kind(self, suggestions: dict) -> None:
        """Choosing a kind fills the name and dates the user has not changed
        (``data-fills``, see static/js/portal.js)."""
        self.fields["kind"].widget.attrs["data-fills"] = json.dumps(suggestions, ensure_ascii=False)


class CriterionForm(PortalForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tiêu chí"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung, cách chấm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_points = PointsField(label=_("Điểm tối đa"), maximum=Decimal(1000))
    weight = PointsField(label=_("Trọng số"), maximum=Decimal(100), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("max_points") == 0:
            self.add_error("max_points", _("Điểm tối đa phải lớn hơn 0."))
        if cleaned.get("weight") == 0:
            self.add_error("weight", _("Trọng số phải lớn hơn 0."))
        return cleaned


class BandForm(PortalForm):
    name = forms.CharField(label=_("Xếp loại"), max_length=60)
    min_score = PointsField(label=_("Từ điểm"), maximum=Decimal(100))
    passing = forms.BooleanField(label=_("Đạt yêu cầu"), required=False)


class OrderedFormSet(forms.BaseFormSet):
    """Rows in the order given by their ORDER field; deleted and empty rows left out."""

    def rows(self) -> list[dict]:
        kept = [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]
        if self.can_order:
            kept.sort(
                key=lambda form: (
                    form.cleaned_data.get("ORDER") is None,
                    form.cleaned_data.get("ORDER") or 0,
                )
            )
        return [
            {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "ORDER")}
            for form in kept
        ]


CriterionFormSet = formset_factory(
    CriterionForm, formset=OrderedFormSet, extra=1, can_delete=True, can_order=True, max_num=50
)
BandFormSet = formset_factory(
    BandForm, formset=OrderedFormSet, extra=1, can_delete=True, max_num=10
)


class BulkAssignForm(PortalForm):
    """Assign chosen evaluators to every model of a unit, of a field, or of the round."""

    TARGETS = [
        ("all", _("Mọi mô hình của đợt")),
        ("unit", _("Các mô hình của một đơn vị")),
        ("field", _("Các mô hình của một lĩnh vực")),
    ]
    evaluators = forms.TypedMultipleChoiceField(
        label=_("Thành viên đoàn kiểm tra"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một thành viên.")},
    )
    target = forms.ChoiceField(label=_("Phân công chấm"), choices=TARGETS, initial="field")
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int, required=False, empty_value=None)
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, evaluators, units, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].choices = [
            (choice.user.pk, _label(choice)) for choice in evaluators
        ]
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.name) for u in units]
        self.fields["field"].choices = [("", "—")] + [(f.pk, str(f)) for f in fields]

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target in ("unit", "field") and not cleaned.get(target):
            self.add_error(target, _("Hãy chọn."))
        return cleaned


def _label(choice) -> str:
    return (
        f"{choice.user.full_name} ({choice.unit_names})"
        if choice.unit_names
        else choice.user.full_name
    )


class AssignOneForm(PortalForm):
    inspection = forms.IntegerField(widget=forms.HiddenInput)
    evaluator = forms.TypedChoiceField(label=_("Thêm thành viên"), coerce=int)

    def __init__(self, *args, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].choices = [(c.user.pk, _label(c)) for c in evaluators]


class RoundChoiceForm(PortalForm):
    """Which round's results to show."""

    round = forms.TypedChoiceField(label=_("Đợt"), coerce=int)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [
            (r.pk, f"{r.name} ({r.get_status_display()})") for r in rounds
        ]


class RecognitionForm(PortalForm):
    """One accepted registration's year-end decision."""

    DECISIONS = [("recognised", _("Công nhận")), ("not_recognised", _("Không công nhận"))]
    registration = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("Xét"), required=False, initial=True)
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=DECISIONS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc nếu khác đề xuất)"), required=False, max_length=1000
    )

    def __init__(self, *args, suggested: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested = suggested

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("include")
            and cleaned.get("decision")
            and cleaned["decision"] != self.suggested
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Khác với đề xuất theo xếp loại: hãy ghi lý do."))
        return cleaned


class BaseRecognitionFormSet(forms.BaseFormSet):
    def __init__(self, *args, suggestions: list[str], **kwargs):
        self.suggestions = suggestions
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.suggestions):
            kwargs["suggested"] = self.suggestions[index]
        return kwargs


RecognitionFormSet = formset_factory(RecognitionForm, formset=BaseRecognitionFormSet, extra=0)
