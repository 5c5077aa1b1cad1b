from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import AwardForm, CouncilMeeting, Nomination
from danvan.accounts.models import Unit
from danvan.forms import (
    DateInput,
    PortalForm,
    PortalModelForm,
    RegisterNumberForm,
    show_service_error,
)
from models_registry.models import Registration

# Beyond this many recognised models the model is typed by its code: a list of thousands
# is slow to send and no one can scroll it on a phone.
MODELS_TO_CHOOSE_FROM = 200


def _type_the_code(field: forms.ModelChoiceField) -> None:
    field.to_field_name = "code"
    field.widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    field.help_text = _("Mã mô hình, như trên danh sách mô hình (ví dụ DVK-2024-012).")
    field.error_messages["invalid_choice"] = _(
        "Không có mô hình đã được công nhận nào của phong trào mang mã này."
    )


class NominationForm(PortalForm):
    kind = forms.ChoiceField(label=_("Đối tượng đề nghị"), choices=Nomination.Kind.choices)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Tập thể được đề nghị, hoặc đơn vị công tác của cá nhân."),
    )
    person_name = forms.CharField(
        label=_("Họ và tên (cá nhân) hoặc tên chủ hộ"), max_length=150, required=False
    )
    person_position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    registration = forms.ModelChoiceField(
        label=_("Mô hình đã được công nhận"), queryset=Registration.objects.none(), required=False
    )
    award_form = forms.ModelChoiceField(
        label=_("Hình thức khen thưởng"), queryset=AwardForm.objects.none()
    )
    achievements = forms.CharField(
        label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    report = forms.FileField(
        label=_("Báo cáo thành tích (PDF hoặc DOCX)"),
        required=False,
        help_text=_(
            "Không bắt buộc: nếu không tải lên, cổng thông tin lập báo cáo từ nội dung trên."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, units, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["registration"].queryset = registrations
        if registrations.count() > MODELS_TO_CHOOSE_FROM:
            _type_the_code(self.fields["registration"])
        self.fields["award_form"].queryset = AwardForm.objects.filter(is_active=True)
        self.fields["award_form"].empty_label = None


class MeetingForm(PortalModelForm):
    class Meta:
        model = CouncilMeeting
        fields = ["held_on", "location", "total_members", "present", "chair", "secretary"]
        widgets = {
            "held_on": DateInput,
            "total_members": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "present": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }


class VoteForm(PortalForm):
    """One field per nomination: the votes in favour, typed from the ballot count."""

    def __init__(self, *args, nominations, present: int, initial_votes: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = list(nominations)
        for nomination in self.nominations:
            self.fields[f"votes_{nomination.pk}"] = forms.IntegerField(
                label=nomination.nominee_name,
                min_value=0,
                required=False,
                initial=initial_votes.get(nomination.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": present}),
                help_text=nomination.award_form.name,
            )

    def votes(self) -> dict[int, int]:
        return {
            nomination.pk: self.cleaned_data[f"votes_{nomination.pk}"]
            for nomination in self.nominations
            if self.cleaned_data.get(f"votes_{nomination.pk}") is not None
        }

    def apply_service_error(self, error) -> None:
        """The service names nominations by id; each problem goes on its vote field."""
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {f"votes_{key}": messages for key, messages in error.error_dict.items()}
            )
        show_service_error(self, error)


class EscalationForm(PortalForm):
    sent_to = forms.CharField(label=_("Gửi đến"), max_length=200, initial="UBND tỉnh")
    sent_on = forms.DateField(label=_("Ngày gửi"), widget=DateInput)
    reference = forms.CharField(label=_("Số văn bản đề nghị"), max_length=60, required=False)

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise ValidationError(_("Ngày gửi không được sau hôm nay."))
        return sent_on


class OutcomeForm(PortalForm):
    approved = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("1", _("Cấp trên đã khen thưởng")), ("0", _("Cấp trên không khen thưởng"))],
        coerce=lambda value: value == "1",
    )
    outcome_on = forms.DateField(label=_("Ngày có kết quả"), widget=DateInput)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ApprovalForm(RegisterNumberForm):
    """The chairman's confirmation: the decision date, and the number where the
    organisation types it from the văn thư's register."""

    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput)
    field_order = ["decided_on", "number"]


class DeskForm(RegisterNumberForm):
    """The chairman's desk: which of the passed nominations, and either the decision date
    (and the number, where the organisation types it from the register) or a reason for
    not approving them.

    A desk too long to tick line by line (``meetings`` given: the keys of the council
    meetings that passed them, 0 for none) is chosen meeting by meeting instead; its
    confirmation carries which nominations it showed (``listed``, a fingerprint), and so
    does the desk itself for declining (which has no confirmation), so that a list that
    changed meanwhile is shown again rather than decided unseen."""

    nominations = forms.TypedMultipleChoiceField(
        label=_("Các đề nghị đã chọn"),
        coerce=int,
        error_messages={"required": _("Hãy chọn ít nhất một đề nghị.")},
    )
    meetings = forms.TypedMultipleChoiceField(
        label=_("Các cuộc họp Hội đồng đã chọn"),
        coerce=int,
        error_messages={"required": _("Hãy chọn ít nhất một cuộc họp Hội đồng.")},
    )
    listed = forms.CharField(required=False, widget=forms.HiddenInput)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput, required=False)
    reason = forms.CharField(
        label=_("Lý do không phê duyệt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    field_order = ["nominations", "meetings", "decided_on", "number", "reason"]

    def __init__(self, *args, choices=(), meetings=None, approving: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = [(pk, pk) for pk in choices]
        if meetings is None:
            del self.fields["meetings"]
        else:
            self.fields["meetings"].choices = [(key, key) for key in meetings]
            self.fields["nominations"].required = False
        if approving:
            self.fields["decided_on"].required = True
        else:
            self.fields["number"].required = False


class ReplacementForm(RegisterNumberForm):
    """Replace an issued decision: why, when, and (from the register) its number."""

    reason = forms.CharField(
        label=_("Lý do thay thế"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Ví dụ “Sai họ tên người được khen thưởng”. Ghi vào quyết định thay thế."),
    )
    decided_on = forms.DateField(label=_("Ngày quyết định thay thế"), widget=DateInput)
    field_order = ["reason", "decided_on", "number"]


class CorrectionForm(PortalForm):
    """One person's name and position as they should read in the replacing decision."""

    award_id = forms.IntegerField(widget=forms.HiddenInput)
    person_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    person_position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)


CorrectionFormSet = forms.formset_factory(CorrectionForm, extra=0)
