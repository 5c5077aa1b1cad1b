from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.documents.layout import number_symbol


class DocumentKind(models.TextChoices):
    """The kinds of document the portal issues; the value opens the symbol ("KH-UBND")."""

    PLAN = "KH", _("Kế hoạch")
    GUIDANCE = "HD", _("Hướng dẫn")
    LETTER = "CV", _("Công văn")
    DECISION = "QĐ", _("Quyết định")
    SUBMISSION = "TTr", _("Tờ trình")
    MINUTES = "BB", _("Biên bản")
    REPORT = "BC", _("Báo cáo")


ALL_KINDS = "*"


def sequence_of(organization, kind: str, body=None) -> str:
    """The numbering sequence a document of ``kind`` takes its number from: its kind's own,
    or the one sequence of every kind (``ALL_KINDS``), as the organisation numbers. A body
    other than the People's Committee (``IssuingBody``) keeps its own register, one
    sequence per kind: "12:HD"."""
    if body is not None:
        return f"{body.pk}:{kind}"
    if organization.numbering == organization.Numbering.ALL_KINDS:
        return ALL_KINDS
    return kind


class DocumentCounter(models.Model):
    """The last number given in one numbering sequence, per organisation and year: a
    kind's own sequence ("QĐ") or the one shared by every kind ("*").

    Only ``danvan.documents.services`` touches it, always under a row lock.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tổ chức"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.CharField(_("dãy số"), max_length=30)
    last_number = models.PositiveIntegerField(_("số cuối cùng đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = pgettext_lazy("plural", "sổ đăng ký số văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "sequence"],
                name="document_counter_one_per_organization_year_sequence",
                violation_error_message=_("Đã có sổ đăng ký số cho dãy số này trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.year}: {self.last_number}"


class IssuedDocument(models.Model):
    """A document as issued: number, the files exactly as signed, and who signed them.

    A document is numbered with its content frozen (``content``, status *pending*), then
    rendered from that content and, where the organisation has a seal certificate, sealed
    (status *issued*); a rendering that failed is done again from the same content and
    number. Where the signer signs the PDF with their own certificate, the rendered PDF
    waits for their signed copy (status *awaiting signature*) before it is sealed and
    issued. Once issued, the files never change, are served by permission-checking views
    only (no URL reaches MEDIA_ROOT) and are checked against their SHA-256 on every read.
    See docs/signatures.md.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang tạo văn bản")
        AWAITING_SIGNATURE = "awaiting", _("Chờ người ký ký số")
        ISSUED = "issued", _("Đã ban hành")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("cơ quan ban hành"),
    )
    kind = models.CharField(_("loại văn bản"), max_length=5, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.CharField(
        _("dãy số"),
        max_length=30,
        help_text=_(
            "Loại văn bản, hoặc “*” khi mọi loại chung một dãy số; “mã cơ quan:loại” cho "
            "văn bản của Đảng ủy, Mặt trận."
        ),
    )
    issuing_body = models.ForeignKey(
        "accounts.IssuingBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("cơ quan ban hành khác"),
        help_text=_("Để trống: Ủy ban nhân dân."),
    )
    layout = models.CharField(
        _("thể thức"),
        max_length=10,
        choices=[("state", _("Hành chính")), ("party", _("Văn bản của Đảng"))],
        default="state",
        db_default="state",
    )
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=40, help_text=_("Ví dụ “KH-UBND”."))
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("thay thế văn bản"),
        help_text=_("Văn bản đã ban hành có sai sót mà văn bản này thay thế."),
    )
    subject = models.TextField(_("trích yếu"))
    dated = models.DateField(
        _("ngày văn bản"), null=True, blank=True, help_text=_("Ngày ghi trên văn bản.")
    )
    issued_at = models.DateTimeField(_("ban hành lúc"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.ISSUED,
        db_default=Status.ISSUED,
        editable=False,
    )
    content = models.JSONField(_("nội dung"), default=dict, blank=True, editable=False)
    render_error = models.TextField(_("lỗi khi tạo văn bản"), blank=True, editable=False)
    render_queued_at = models.DateTimeField(
        _("giao tạo tệp lúc"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Lần gần nhất văn bản dài được giao cho tiến trình nền tạo tệp."),
    )
    docx = models.FileField(_("tệp Word"), upload_to="documents/", max_length=255, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="documents/", max_length=255, blank=True)
    html = models.TextField(_("bản xem in"), blank=True)
    docx_sha256 = models.CharField(_("SHA-256 tệp Word"), max_length=64, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 tệp PDF"), max_length=64, blank=True, db_index=True)
    verification_code = models.CharField(
        _("mã kiểm tra"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("In trên văn bản (kèm mã QR) để kiểm tra văn bản trên cổng."),
    )
    signer_signs = models.BooleanField(
        _("người ký tự ký số"),
        default=False,
        db_default=False,
        editable=False,
        help_text=_("Tệp PDF chờ người ký ký bằng chứng thư số cá nhân trước khi ban hành."),
    )
    seal_place = models.JSONField(
        _("vị trí chữ ký số của cơ quan"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Trang và khung (điểm PDF) nơi đặt chữ ký số của cơ quan ban hành."),
    )
    integrity_alarm_at = models.DateTimeField(
        _("phát hiện tệp bị thay đổi lúc"), null=True, blank=True, editable=False
    )
    integrity_alarm = models.TextField(_("tệp bị thay đổi"), blank=True, editable=False)
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
                fields=["organization", "year", "sequence", "number"],
                name="issued_document_number_unique_in_sequence",
                violation_error_message=_(
                    "Số văn bản này đã được dùng cho văn bản khác trong năm."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="issued_document_number_positive",
                violation_error_message=_("Số văn bản phải từ 1 trở lên."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | (~Q(docx="") & ~Q(pdf="") & ~Q(docx_sha256="") & ~Q(pdf_sha256="")),
                name="issued_document_has_its_files",
                violation_error_message=_("Văn bản đã ban hành phải có tệp Word và PDF."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-issued_at"]),
            models.Index(fields=["content_type", "object_id", "-issued_at"]),
            models.Index(fields=["number", "symbol", "dated"]),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.subject}"

    @property
    def is_ready(self) -> bool:
        """The files exist: the document can be read, printed and downloaded."""
        return self.status == self.Status.ISSUED

    @property
    def is_being_made(self) -> bool:
        """Pending, its files given to the worker less than ``RENDER_PATIENCE_MINUTES``
        ago with no failure recorded: making them again now would only do it twice."""
        if self.status != self.Status.PENDING or self.render_error or not self.render_queued_at:
            return False
        patience = timedelta(minutes=settings.RENDER_PATIENCE_MINUTES)
        return timezone.now() - self.render_queued_at < patience

    @property
    def is_awaiting_signature(self) -> bool:
        """Rendered; the signer has yet to sign the PDF with their own certificate."""
        return self.status == self.Status.AWAITING_SIGNATURE

    @property
    def verification_code_display(self) -> str:
        """ "K7QP-3MXA-9DTW": the code as printed, in groups of four."""
        code = self.verification_code or ""
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def number_symbol(self) -> str:
        """ "46/KH-UBND", "05/QĐ-UBND": below 10 with a leading zero (decree 30); a Party
        document "29-HD/ĐU"."""
        return number_symbol(self.number, self.symbol, self.layout)


class DocumentSignature(models.Model):
    """One digital signature on an issued document: the signer's, or the issuing body's
    seal. ``in_pdf`` says whether the stored PDF carries it as a PAdES signature (with the
    certificate described here, at ``signed_at``), or the portal only records the act.
    ``signed_at`` is empty while the signature is still to be made."""

    class Role(models.TextChoices):
        SIGNER = "signer", _("Người có thẩm quyền ký")
        SEAL = "seal", _("Cơ quan ban hành")

    document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("văn bản"),
    )
    role = models.CharField(
        _("chữ ký của"),
        max_length=10,
        choices=Role.choices,
        default=Role.SIGNER,
        db_default=Role.SIGNER,
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
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    in_pdf = models.BooleanField(
        _("có trong tệp PDF"),
        default=False,
        db_default=False,
        help_text=_("Tệp PDF đã ban hành mang chữ ký số này."),
    )
    certificate_subject = models.CharField(_("chủ thể chứng thư số"), max_length=500, blank=True)
    certificate_issuer = models.CharField(_("tổ chức cấp chứng thư số"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("số hiệu chứng thư số"), max_length=100, blank=True)
    test_certificate = models.BooleanField(
        _("chứng thư thử nghiệm"),
        default=False,
        db_default=False,
        help_text=_("Ký bằng chứng thư của CA thử nghiệm: không có giá trị pháp lý."),
    )

    class Meta:
        ordering = [models.F("signed_at").asc(nulls_last=True), "id"]
        verbose_name = _("chữ ký số")
        verbose_name_plural = pgettext_lazy("plural", "chữ ký số")

    def __str__(self) -> str:
        return f"{self.label}: {self.signer_name}"


class Citation(models.Model):
    """A text a document of one kind cites ("Căn cứ …") while it is in force.

    National citations (no organisation: laws, decrees) are kept by superusers; an
    organisation adds its own (a provincial regulation) and ends them when they lapse. A
    document cites those in force on its date; see ``danvan.documents.selectors``.
    """

    class LegalKind(models.TextChoices):
        LAW = "Luật", _("Luật")
        RESOLUTION = "Nghị quyết", _("Nghị quyết")
        DECREE = "Nghị định", _("Nghị định")
        CIRCULAR = "Thông tư", _("Thông tư")
        DECISION = "Quyết định", _("Quyết định")
        PLAN = "Kế hoạch", _("Kế hoạch")
        GUIDANCE = "Hướng dẫn", _("Hướng dẫn")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("tổ chức"),
        help_text=_("Để trống: căn cứ chung cho mọi tổ chức."),
    )
    document_kind = models.CharField(
        _("dùng cho loại văn bản"), max_length=5, choices=DocumentKind.choices
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    legal_kind = models.CharField(
        _("loại văn bản được dẫn"), max_length=20, choices=LegalKind.choices
    )
    number = models.CharField(
        _("số, ký hiệu"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ “152/2025/NĐ-CP”. Luật được dẫn theo tên và ngày, không ghi số."),
    )
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(
        _("cơ quan ban hành"), max_length=200, blank=True, help_text=_("Ví dụ “Chính phủ”.")
    )
    title = models.CharField(
        _("tên, trích yếu"),
        max_length=500,
        help_text=_(
            "Luật: tên luật (“Thi đua, khen thưởng”). Văn bản khác: trích yếu sau tên cơ quan "
            "(“quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng”)."
        ),
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(
        _("áp dụng đến hết ngày"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực.")
    )
    source = models.CharField(
        _("nguồn đối chiếu"),
        max_length=500,
        blank=True,
        help_text=_("Nơi đã đối chiếu số, ngày và hiệu lực (công báo, cổng thông tin)."),
    )

    class Meta:
        ordering = ["document_kind", "position", "valid_from", "pk"]
        verbose_name = _("căn cứ văn bản")
        verbose_name_plural = pgettext_lazy("plural", "căn cứ văn bản")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="citation_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng."),
            )
        ]
        indexes = [models.Index(fields=["organization", "document_kind", "valid_from"])]

    def __str__(self) -> str:
        return self.text

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def text(self) -> str:
        """ "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" or "Căn cứ Nghị
        định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định …;"."""
        day = f"ngày {self.issued_on.day} tháng {self.issued_on.month} năm {self.issued_on.year}"
        if self.legal_kind == self.LegalKind.LAW:
            return f"Căn cứ Luật {self.title.strip()} {day};"
        parts = [f"Căn cứ {self.legal_kind}"]
        if self.number:
            parts.append(f"số {self.number.strip()}")
        parts.append(day)
        if self.issuer:
            parts.append(f"của {self.issuer.strip()}")
        parts.append(self.title.strip())
        return " ".join(part for part in parts if part) + ";"
