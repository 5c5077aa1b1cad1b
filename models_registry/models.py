from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.models import PrivateFile, validate_phone
from danvan.text import fold


class Field(models.Model):
    """A field (lĩnh vực) a model belongs to. Each organisation keeps its own list, seeded
    with the four common ones when the organisation is created; office staff rename,
    reorder, add and retire fields (a field in use is retired, not deleted)."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="fields",
        verbose_name=_("tổ chức"),
    )
    code = models.SlugField(
        _("mã"),
        max_length=40,
        blank=True,
        help_text=_("Chữ không dấu; để trống để tạo từ tên."),
    )
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["organization", "position", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                name="field_code_unique_in_organization",
                violation_error_message=_("Tổ chức đã có lĩnh vực trùng mã."),
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="field_name_unique_in_organization",
                violation_error_message=_("Tổ chức đã có lĩnh vực trùng tên."),
            ),
        ]

    def __str__(self) -> str:
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = slugify(fold(self.name))[:40] or "linh-vuc"
        super().save(*args, **kwargs)


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

    # Which of the questions below a campaign asks, and which it requires, is its
    # registration form's choice (``FormQuestion``); the columns may therefore be blank.
    name = models.CharField(_("tên mô hình"), max_length=300)

    class Owner(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể (đơn vị)")
        INDIVIDUAL = "individual", _("Cá nhân")

    owner_kind = models.CharField(
        _("chủ thể mô hình"),
        max_length=20,
        choices=Owner.choices,
        default=Owner.COLLECTIVE,
        db_default=Owner.COLLECTIVE,
    )
    owner_name = models.CharField(
        _("họ và tên cá nhân"),
        max_length=150,
        blank=True,
        help_text=_("Khi mô hình của một cá nhân."),
    )
    owner_position = models.CharField(_("chức vụ, nghề nghiệp"), max_length=150, blank=True)
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("lĩnh vực"),
    )
    situation = models.TextField(_("thực trạng, lý do xây dựng mô hình"), blank=True)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    success_measures = models.TextField(_("cách đo lường kết quả"), blank=True)
    content_methods = models.TextField(_("nội dung, phương pháp thực hiện"), blank=True)
    area = models.CharField(_("địa bàn thực hiện"), max_length=300, blank=True)
    beneficiaries = models.TextField(_("đối tượng thụ hưởng"), blank=True)
    person_in_charge = models.CharField(_("người phụ trách"), max_length=150, blank=True)
    person_in_charge_position = models.CharField(
        _("chức vụ người phụ trách"), max_length=150, blank=True
    )
    person_in_charge_phone = models.CharField(
        _("điện thoại người phụ trách"), max_length=30, blank=True, validators=[validate_phone]
    )
    budget_vnd = models.PositiveBigIntegerField(_("kinh phí (đồng)"), default=0)
    contributions_vnd = models.PositiveBigIntegerField(_("xã hội hóa (đồng)"), default=0)
    workdays = models.PositiveIntegerField(_("ngày công"), default=0)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    evaluation_date = models.DateField(_("thời điểm đánh giá"), null=True, blank=True)
    expected_outputs = models.TextField(_("kết quả dự kiến"), blank=True)
    sustainability = models.TextField(_("tính bền vững, khả năng nhân rộng"), blank=True)
    # The answers to the questions a campaign's form adds ({question key: text or number}).
    answers = models.JSONField(_("câu trả lời thêm"), default=dict, blank=True)

    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_default=Status.DRAFT,
        editable=False,
    )
    status_reason = models.TextField(_("lý do"), blank=True, editable=False)

    class Level(models.TextChoices):
        NONE = "", _("Chưa công nhận")
        WARD = "ward", _("Công nhận cấp xã")
        PROPOSED_PROVINCE = "proposed_province", _("Đề nghị cấp tỉnh công nhận")
        PROVINCE = "province", _("Được cấp tỉnh công nhận")

    recognition_level = models.CharField(
        _("cấp công nhận"),
        max_length=20,
        choices=Level.choices,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    launched_on = models.DateField(_("ngày ra mắt"), null=True, blank=True, editable=False)
    continues = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="continued_by",
        verbose_name=_("tiếp tục mô hình năm trước"),
    )
    on_behalf = models.BooleanField(
        _("Văn phòng nhập thay đơn vị"),
        default=False,
        db_default=False,
        editable=False,
        help_text=_("Đơn vị không có tài khoản, gửi phiếu giấy hoặc e-mail; Văn phòng nhập thay."),
    )
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
                condition=Q(start_date__isnull=True)
                | Q(evaluation_date__isnull=True)
                | Q(evaluation_date__gte=F("start_date")),
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
            # The queue filtered by a status, latest first; the inbox's counts by status.
            models.Index(
                fields=["organization", "status", "-updated_at"],
                name="registration_org_status",
            ),
            # A unit's models by status, with their campaigns and ids: the unit's inbox
            # counts them per campaign and follows them to their milestones from the
            # index alone.
            models.Index(
                fields=["organization", "unit", "status", "campaign", "id"],
                name="registration_org_unit_status",
            ),
            # A round's lines in the models' order: read in order and stopped at the
            # page, where the campaign's unique (campaign, sequence) would not be chosen
            # in a database of many communes (the round page at national size: 116 ms
            # for its 50 lines, sorting the campaign's 100,000 models, to a few).
            models.Index(
                fields=["organization", "campaign", "sequence"],
                name="registration_org_sequence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        # A model of a year's campaign is under way in that year (or began earlier).
        if self.start_date and self.campaign_id and self.start_date.year > self.campaign.year:
            raise ValidationError(
                {
                    "start_date": _(
                        "Mô hình của phong trào năm %(year)s phải bắt đầu trong năm %(year)s "
                        "hoặc trước đó."
                    )
                    % {"year": self.campaign.year}
                }
            )

    def get_status_display(self) -> str:
        # Django's own builds a dictionary of the choices at every call; a list shows one
        # status per line.
        return str(_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_editable(self) -> bool:
        return self.status in (Registration.Status.DRAFT, Registration.Status.RETURNED)


_STATUS_LABELS = dict(Registration.Status.choices)


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

    class Part(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COOPERATE = "cooperate", _("Phối hợp")
        TAKE_PART = "take_part", _("Tham gia")

    part = models.CharField(
        _("lực lượng"),
        max_length=20,
        choices=Part.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("Khi mẫu phiếu tách lực lượng chủ trì, phối hợp và tham gia."),
    )
    role = models.CharField(_("vai trò"), max_length=300, blank=True)
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
        # The milestones due of many models, read from the index alone (the inbox).
        indexes = [
            models.Index(fields=["registration", "due_on"], name="milestone_registration_due")
        ]
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


class LateRequest(models.Model):
    """A unit's request to submit after the campaign's registration deadline, until the
    day it wishes; office staff grant it (with a ``LateException``, until the day they
    choose) or refuse it with a reason. A unit has at most one pending request per
    campaign. Status changes only through ``services.late_request_grant`` and
    ``services.late_request_refuse``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ Văn phòng xem xét")
        GRANTED = "granted", _("Đã cho gia hạn")
        REFUSED = "refused", _("Không cho gia hạn")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="late_requests",
        verbose_name=_("phong trào"),
    )
    # Kept beside the campaign so the office's lists count on an indexed column.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tổ chức"),
        editable=False,
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("người đề nghị"),
    )
    reason = models.TextField(_("lý do đề nghị gia hạn"))
    wished_until = models.DateField(_("xin được gửi đến hết ngày"))
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        db_default=Status.PENDING,
        editable=False,
    )
    granted_until = models.DateField(
        _("được gửi đến hết ngày"), null=True, blank=True, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("người xử lý"),
    )
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("lý do không cho gia hạn"), blank=True, editable=False)
    created_at = models.DateTimeField(_("gửi lúc"), db_default=Now(), editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("đề nghị gia hạn đăng ký")
        verbose_name_plural = pgettext_lazy("plural", "đề nghị gia hạn đăng ký")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(status="pending"),
                name="late_request_one_pending_per_unit",
                violation_error_message=_(
                    "Đơn vị đã có đề nghị gia hạn đang chờ Văn phòng xem xét."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="late_request_refusal_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "status", "wished_until"], name="late_request_org_status"
            ),
            models.Index(fields=["campaign", "unit", "-created_at"], name="late_request_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.wished_until:%d/%m/%Y}"


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


class FormQuestion(models.Model):
    """One question of a campaign's registration form: one of the registration's own
    (``key`` names it; see ``models_registry.questions``) or one the office added, whose
    answers are kept in ``Registration.answers``. A campaign without rows asks the
    standard form. Questions are hidden, never deleted, so no stored answer is lost."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Mục có sẵn của phiếu")
        TEXT = "text", _("Chữ, một dòng")
        LONG_TEXT = "long_text", _("Đoạn văn")
        NUMBER = "number", _("Số")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="form_questions",
        verbose_name=_("phong trào"),
    )
    key = models.SlugField(_("mã câu hỏi"), max_length=40)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    label = models.CharField(
        _("tên mục"), max_length=200, blank=True, help_text=_("Để trống để dùng tên có sẵn.")
    )
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    shown = models.BooleanField(_("hiện trên phiếu"), default=True)
    required = models.BooleanField(_("bắt buộc"), default=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    partner_parts = models.BooleanField(
        _("tách chủ trì, phối hợp, tham gia"),
        default=False,
        help_text=_("Chỉ cho mục đơn vị phối hợp: ba danh sách lực lượng riêng."),
    )

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("mục của phiếu đăng ký")
        verbose_name_plural = pgettext_lazy("plural", "mục của phiếu đăng ký")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "key"], name="form_question_key_unique_in_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.label or self.key
