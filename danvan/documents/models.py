from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    """The kinds of document the portal issues; the value opens the symbol ("KH-UBND")."""

    PLAN = "KH", _("Kế hoạch")
    DECISION = "QĐ", _("Quyết định")
    SUBMISSION = "TTr", _("Tờ trình")
    MINUTES = "BB", _("Biên bản")
    REPORT = "BC", _("Báo cáo")


class DocumentCounter(models.Model):
    """The last number given to one kind of document, per organisation and year.

    Only ``danvan.documents.services`` touches it, always under a row lock.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tổ chức"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại văn bản"), max_length=5, choices=DocumentKind.choices)
    last_number = models.PositiveIntegerField(_("số cuối cùng đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = pgettext_lazy("plural", "sổ đăng ký số văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind"],
                name="document_counter_one_per_organization_year_kind",
                violation_error_message=_("Đã có sổ đăng ký số cho loại văn bản này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class IssuedDocument(models.Model):
    """A document as issued: number, the files exactly as signed, and who signed them.

    Rows are only ever inserted, by ``document_issue``; the files never change afterwards
    and are served by permission-checking views only (no URL reaches MEDIA_ROOT).
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("cơ quan ban hành"),
    )
    kind = models.CharField(_("loại văn bản"), max_length=5, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=40, help_text=_("Ví dụ “KH-UBND”."))
    subject = models.TextField(_("trích yếu"))
    issued_at = models.DateTimeField(_("ban hành lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    docx = models.FileField(_("tệp Word"), upload_to="documents/", max_length=255)
    pdf = models.FileField(_("tệp PDF"), upload_to="documents/", max_length=255)
    html = models.TextField(_("bản xem in"))
    docx_sha256 = models.CharField(_("SHA-256 tệp Word"), max_length=64)
    pdf_sha256 = models.CharField(_("SHA-256 tệp PDF"), max_length=64)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("loại đối tượng nguồn"),
    )
    object_id = models.PositiveBigIntegerField(_("mã đối tượng nguồn"))
    source = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = pgettext_lazy("plural", "văn bản đã ban hành")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind", "number"],
                name="issued_document_number_unique",
                violation_error_message=_(
                    "Số văn bản này đã được dùng cho văn bản khác cùng loại trong năm."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="issued_document_number_positive",
                violation_error_message=_("Số văn bản phải từ 1 trở lên."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-issued_at"]),
            models.Index(fields=["content_type", "object_id", "-issued_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.subject}"

    @property
    def number_symbol(self) -> str:
        """ "46/KH-UBND"."""
        return f"{self.number}/{self.symbol}"


class DocumentSignature(models.Model):
    """One recorded digital signature or seal on an issued document."""

    document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("văn bản"),
    )
    label = models.CharField(_("hình thức"), max_length=50, help_text=_("Ví dụ “Ký số”."))
    signer_name = models.CharField(_("người ký"), max_length=200)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản ký"),
    )
    signed_at = models.DateTimeField(_("ký lúc"))

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("chữ ký số")
        verbose_name_plural = pgettext_lazy("plural", "chữ ký số")

    def __str__(self) -> str:
        return f"{self.label}: {self.signer_name}"
