"""A province (or any body above communes), the communes under it over time, and the
proposals communes send it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CommuneMembership(models.Model):
    """A commune under a province from ``valid_from`` to ``valid_to`` (inclusive; open
    while empty). A merge or a move closes the row and opens another; the old row stays,
    so the figures of past years still add up under the province the commune then
    belonged to, under the name it then had (``name_then``)."""

    province = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="commune_memberships",
        verbose_name=_("cấp tỉnh"),
    )
    commune = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="province_memberships",
        verbose_name=_("xã, phường, đặc khu"),
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(
        _("đến hết ngày"), null=True, blank=True, help_text=_("Để trống nếu còn trực thuộc.")
    )
    name_then = models.CharField(
        _("tên trong thời gian này"),
        max_length=200,
        blank=True,
        help_text=_("Tên của xã, phường khi đó; để trống: tên hiện nay."),
    )
    merged_into = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sáp nhập vào"),
        help_text=_("Khi xã, phường thôi trực thuộc vì được sáp nhập vào đơn vị khác."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["province", "commune__name", "-valid_from"]
        verbose_name = _("xã, phường trực thuộc")
        verbose_name_plural = pgettext_lazy("plural", "xã, phường trực thuộc")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="commune_membership_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=~Q(province=F("commune")),
                name="commune_membership_not_itself",
                violation_error_message=_("Một tổ chức không trực thuộc chính nó."),
            ),
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(valid_to__isnull=True),
                name="commune_membership_one_open",
                violation_error_message=_("Xã, phường này đang trực thuộc một cấp tỉnh khác."),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "valid_from", "valid_to"]),
            models.Index(fields=["commune", "valid_from"]),
        ]

    def __str__(self) -> str:
        return f"{self.name_then or self.commune} → {self.province}"

    def clean(self):
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if not (self.commune_id and self.valid_from):
            return
        if self.province_id == self.commune_id:
            raise ValidationError({"commune": _("Một tổ chức không trực thuộc chính nó.")})
        overlapping = CommuneMembership.objects.filter(commune_id=self.commune_id).exclude(
            pk=self.pk
        )
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError(
                _("Trong thời gian này xã, phường đã trực thuộc một cấp tỉnh (hoặc đã được ghi).")
            )


def proposal_file_path(instance, filename: str) -> str:
    return f"proposals/{instance.commune_id}/{filename}"


class Proposal(models.Model):
    """A commune's escalated nomination in its province's queue, with the dossier.

    Status changes only through ``province.services`` (``WORKFLOW``)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Đã gửi, chờ tỉnh xem xét")
        RETURNED = "returned", _("Tỉnh trả lại để bổ sung")
        ACCEPTED = "accepted", _("Tỉnh đã tiếp nhận")
        DECIDED = "decided", _("Tỉnh đã quyết định khen thưởng")
        REJECTED = "rejected", _("Tỉnh không khen thưởng")

    # The province whose queue holds it.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="received_proposals",
        editable=False,
        verbose_name=_("cấp tỉnh"),
    )
    commune = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="sent_proposals",
        editable=False,
        verbose_name=_("xã, phường"),
    )
    escalation = models.OneToOneField(
        "awards.Escalation",
        on_delete=models.PROTECT,
        related_name="proposal",
        editable=False,
        verbose_name=_("đề nghị cấp trên"),
    )
    nomination = models.OneToOneField(
        "awards.Nomination",
        on_delete=models.PROTECT,
        related_name="proposal",
        editable=False,
        verbose_name=_("đề nghị khen thưởng"),
    )
    cover_note = models.TextField(_("nội dung tờ trình"), blank=True)
    submission = models.FileField(
        _("tờ trình (tệp)"), upload_to=proposal_file_path, blank=True, max_length=300
    )
    submission_name = models.CharField(_("tên tệp tờ trình"), max_length=200, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.SENT,
        db_default=Status.SENT,
        editable=False,
    )
    status_reason = models.TextField(_("lý do"), blank=True, editable=False)
    decision_number = models.CharField(
        _("số quyết định"), max_length=60, blank=True, editable=False
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, editable=False)
    times_sent = models.PositiveSmallIntegerField(default=1, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    sent_at = models.DateTimeField(_("gửi lúc"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("đề nghị gửi cấp tỉnh")
        verbose_name_plural = pgettext_lazy("plural", "đề nghị gửi cấp tỉnh")
        indexes = [
            models.Index(fields=["organization", "status", "-sent_at"]),
            models.Index(fields=["commune", "-sent_at"]),
        ]

    def __str__(self) -> str:
        return str(self.nomination)

    @property
    def submission_format(self) -> str:
        return self.submission.name.rsplit(".", 1)[-1].lower() if self.submission else ""
