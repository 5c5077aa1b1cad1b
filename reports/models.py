from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReviewReport(models.Model):
    """The mid-year or year-end review report (báo cáo sơ kết / tổng kết) of a campaign.

    The office drafts its narrative in the portal (prefilled from the plan's aims); its
    statistics are read from the data whenever it is shown and frozen when a chairman or
    vice-chairman signs it (``reports.services.review_report_issue``), which numbers it
    like any other document (symbol BC) and makes it read-only.
    """

    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", _("Sơ kết")
        YEAR_END = "year_end", _("Tổng kết")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("tổ chức"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="review_reports",
        editable=False,
        verbose_name=_("phong trào"),
    )
    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=Kind.choices, editable=False)
    subject = models.CharField(_("trích yếu"), max_length=500)
    situation = models.TextField(
        _("mục đích, yêu cầu và tình hình triển khai"),
        blank=True,
        help_text=_("Mỗi dòng là một đoạn văn. Lấy từ mục đích, yêu cầu của kế hoạch."),
    )
    results = models.TextField(
        _("kết quả nổi bật"),
        blank=True,
        help_text=_("Mỗi dòng là một đoạn văn; các bảng số liệu được điền tự động."),
    )
    shortcomings = models.TextField(_("hạn chế, nguyên nhân"), blank=True)
    tasks_ahead = models.TextField(_("phương hướng, nhiệm vụ thời gian tới"), blank=True)
    recipients = models.TextField(
        _("nơi nhận"), default="Lưu: VT.", help_text=_("Mỗi dòng một nơi nhận.")
    )
    issued_document = models.OneToOneField(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("văn bản đã ban hành"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # When the office last sent the draft to the chairman and vice-chairmen to sign.
    sent_for_signature_at = models.DateTimeField(
        _("trình ký lúc"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["campaign", "kind"]
        verbose_name = _("báo cáo sơ kết, tổng kết")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo sơ kết, tổng kết")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind"],
                name="review_report_one_of_a_kind",
                violation_error_message=_("Phong trào đã có báo cáo loại này."),
            )
        ]
        indexes = [models.Index(fields=["organization", "campaign"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.issued_document_id is not None

    @property
    def recipient_lines(self) -> list[str]:
        return [
            line.strip().lstrip("-").strip()
            for line in self.recipients.splitlines()
            if line.strip()
        ]
