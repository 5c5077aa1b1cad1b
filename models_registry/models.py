from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.models import PrivateFile


class Field(models.Model):
    """One of the four fields (lĩnh vực) a model belongs to; reference data."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực")

    def __str__(self) -> str:
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name


class Registration(models.Model):
    """A unit's registration of a "Dân vận khéo" model for a campaign.

    Status changes only through ``models_registry.services.registration_transition``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        REJECTED = "rejected", _("Không chấp nhận")
        WITHDRAWN = "withdrawn", _("Đơn vị đã rút")
        RECOGNISED = "recognised", _("Được công nhận")
        NOT_RECOGNISED = "not_recognised", _("Không được công nhận")
        REPLICATED = "replicated", _("Đã nhân rộng")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("phong trào"),
    )
    # Kept beside the campaign so every list filters on an indexed column of this table.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("tổ chức"),
        editable=False,
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("đơn vị chủ trì"),
    )
    sequence = models.PositiveIntegerField(_("số thứ tự"), editable=False)
    code = models.CharField(_("mã mô hình"), max_length=30, editable=False)

    name = models.CharField(_("tên mô hình"), max_length=300)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("lĩnh vực")
    )
    situation = models.TextField(_("thực trạng, lý do xây dựng mô hình"))
    objectives = models.TextField(_("mục tiêu"))
    success_measures = models.TextField(_("cách đo lường kết quả"))
    content_methods = models.TextField(_("nội dung, phương pháp thực hiện"))
    area = models.CharField(_("địa bàn thực hiện"), max_length=300)
    beneficiaries = models.TextField(_("đối tượng thụ hưởng"))
    person_in_charge = models.CharField(_("người phụ trách"), max_length=150)
    person_in_charge_position = models.CharField(
        _("chức vụ người phụ trách"), max_length=150, blank=True
    )
    person_in_charge_phone = models.CharField(
        _("điện thoại người phụ trách"), max_length=30, blank=True
    )
    budget_vnd = models.PositiveBigIntegerField(_("kinh phí (đồng)"), default=0)
    contributions_vnd = models.PositiveBigIntegerField(_("xã hội hóa (đồng)"), default=0)
    workdays = models.PositiveIntegerField(_("ngày công"), default=0)
    start_date = models.DateField(_("ngày bắt đầu"))
    evaluation_date = models.DateField(_("thời điểm đánh giá"))
    expected_outputs = models.TextField(_("kết quả dự kiến"))
    sustainability = models.TextField(_("tính bền vững, khả năng nhân rộng"))

    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_default=Status.DRAFT,
        editable=False,
    )
    status_reason = models.TextField(_("lý do"), blank=True, editable=False)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True, editable=False)
    # Folded (lower-case, no accents) name and content: "dich vu cong" finds "dịch vụ công".
    search_text = models.TextField(editable=False, default="")

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
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["campaign", "sequence"]
        verbose_name = _("mô hình đăng ký")
        verbose_name_plural = pgettext_lazy("plural", "mô hình đăng ký")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sequence"], name="registration_sequence_unique"
            ),
            models.UniqueConstraint(fields=["campaign", "code"], name="registration_code_unique"),
            models.CheckConstraint(
                condition=Q(evaluation_date__gte=F("start_date")),
                name="registration_evaluated_after_start",
                violation_error_message=_("Thời điểm đánh giá không được trước ngày bắt đầu."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "campaign", "status"]),
            models.Index(fields=["organization", "unit", "-created_at"]),
            models.Index(fields=["campaign", "field"]),
            # The review queue's default order: the organisation's latest changes first.
            models.Index(fields=["organization", "-updated_at"], name="registration_org_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (Registration.Status.DRAFT, Registration.Status.RETURNED)


class Partner(models.Model):
    """A unit (or an outside body) working with the lead unit, and its role."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="partners", verbose_name=_("mô hình")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị phối hợp"),
    )
    outside_name = models.CharField(
        _("tổ chức bên ngoài"),
        max_length=200,
        blank=True,
        help_text=_("Khi không phải đơn vị của xã, phường."),
    )
    role = models.CharField(_("vai trò"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["registration", "position", "pk"]
        verbose_name = _("đơn vị phối hợp")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị phối hợp")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(outside_name=""),
                name="partner_names_someone",
                violation_error_message=_("Chọn một đơn vị hoặc ghi tên tổ chức bên ngoài."),
            )
        ]

    def __str__(self) -> str:
        return str(self.unit) if self.unit_id else self.outside_name


class Milestone(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("mô hình")
    )
    due_on = models.DateField(_("thời gian"))
    description = models.CharField(_("nội dung mốc"), max_length=300)

    class Meta:
        ordering = ["registration", "due_on", "pk"]
        verbose_name = _("mốc thực hiện")
        verbose_name_plural = pgettext_lazy("plural", "mốc thực hiện")

    def __str__(self) -> str:
        return self.description


class LateException(models.Model):
    """Office staff let one unit submit after the registration deadline, until ``expires_on``."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="late_exceptions",
        verbose_name=_("phong trào"),
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị")
    )
    expires_on = models.DateField(_("được gửi đến hết ngày"))
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("gia hạn đăng ký")
        verbose_name_plural = pgettext_lazy("plural", "gia hạn đăng ký")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="late_exception_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.expires_on:%d/%m/%Y}"


class ProgressReport(models.Model):
    """A dated update on an accepted model: what was done, with figures and evidence."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reports", verbose_name=_("mô hình")
    )
    reported_on = models.DateField(_("ngày báo cáo"))
    text = models.TextField(_("nội dung"))
    people_reached = models.PositiveIntegerField(_("số người được hưởng lợi"), default=0)
    money_raised_vnd = models.PositiveBigIntegerField(_("kinh phí huy động (đồng)"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["registration", "-reported_on", "-pk"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo tiến độ")

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y}"


def evidence_path(instance, filename: str) -> str:
    # The stored name is random; the user's file name is kept (sanitised) in original_name.
    return f"evidence/{instance.registration.organization_id}/{instance.registration_id}/{filename}"


class Evidence(PrivateFile):
    """A private file attached to a registration or one of its progress reports."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("mô hình")
    )
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("báo cáo tiến độ"),
    )
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=300)

    class Meta:
        ordering = ["registration", "uploaded_at", "pk"]
        verbose_name = _("minh chứng")
        verbose_name_plural = pgettext_lazy("plural", "minh chứng")


class Comment(models.Model):
    """A message between the unit and the office about a registration."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="comments", verbose_name=_("mô hình")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["registration", "created_at", "pk"]
        verbose_name = _("trao đổi")
        verbose_name_plural = pgettext_lazy("plural", "trao đổi")

    def __str__(self) -> str:
        return self.body[:60]
