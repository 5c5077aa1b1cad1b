"""Forms of the documents' own pages: checking a PDF, and the signer's signed copy."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.forms import DateInput, PortalForm

PDF_MAX_BYTES = 20 * 1024 * 1024


class PdfField(forms.FileField):
    """One PDF file, checked by its first bytes and its size; cleaned to its bytes."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return None
        if upload.size > PDF_MAX_BYTES:
            raise forms.ValidationError(
                gettext("Tệp lớn %(size)s, vượt giới hạn %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(PDF_MAX_BYTES)},
                code="too_large",
            )
        content = upload.read()
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(
                gettext("Tệp “%(name)s” không phải tệp PDF.") % {"name": upload.name},
                code="not_pdf",
            )
        return content


class VerifyForm(PortalForm):
    pdf = PdfField(
        label=_("Tệp PDF cần kiểm tra"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Hãy chọn tệp PDF cần kiểm tra.")},
    )
    number = forms.CharField(
        label=_("Số, ký hiệu (nếu biết)"),
        required=False,
        max_length=60,
        help_text=_("Ví dụ 46/KH-UBND: để tìm văn bản khi tệp không trùng khớp bản đã ban hành."),
    )
    dated = forms.DateField(label=_("Ngày văn bản (nếu biết)"), required=False, widget=DateInput())

    def __init__(self, *args, with_reference: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_reference:  # the page of one document: it is the reference
            del self.fields["number"]
            del self.fields["dated"]

    def clean_number(self):
        from danvan.documents.selectors import parse_number_symbol

        number = self.cleaned_data["number"].strip()
        if number and parse_number_symbol(number) is None:
            raise forms.ValidationError(
                _("Hãy ghi số và ký hiệu như trên văn bản, ví dụ 46/KH-UBND.")
            )
        return number


class SignedCopyForm(PortalForm):
    pdf = PdfField(
        label=_("Tệp PDF đã ký số"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Hãy chọn tệp PDF đã ký số.")},
    )
