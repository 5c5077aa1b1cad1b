from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.forms import DateInput, PortalForm


class YearForm(PortalForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)


class ProposalSendForm(PortalForm):
    """What the commune sends with its escalated nomination."""

    cover_note = forms.CharField(
        label=_("Nội dung tờ trình"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tóm tắt đề nghị gửi cấp tỉnh, hoặc phần đã bổ sung khi gửi lại."),
    )
    submission = forms.FileField(
        label=_("Tờ trình (PDF hoặc DOCX)"),
        required=False,
        help_text=_(
            "Tờ trình đã ký; hồ sơ còn lại (báo cáo thành tích, biên bản, kết quả bỏ phiếu) cổng tự gửi kèm."
        ),
    )


class DecisionForm(PortalForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput)
