from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A campaign's year, as a year of the movement can be: four digits, not a typing slip.
YEAR_VALIDATORS = [
    MinValueValidator(2000, message=_("Năm phải từ %(limit_value)s trở đi.")),
    MaxValueValidator(2100, message=_("Năm phải không quá %(limit_value)s.")),
]


class Campaign(models.Model):
    """A yearly "Dân vận khéo" emulation movement of one organisation, with its launch plan.

    The plan document's parts (legal bases, sections and items) hang off the campaign;
    the plan's header fields live here. Status changes only through
    ``campaigns.services.campaign_transition``.
    """

    class Form(models.TextChoices):
        REGULAR = "regular", _("Thường xuyên")
        THEMATIC = "thematic", _("Theo chuyên đề")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        CLOSED = "closed", _("Đã kết thúc")

    class SigningMode(models.TextChoices):
        DIRECT = "direct", _("Chủ tịch ký (không ghi TM.)")
        ON_BEHALF = "on_behalf", _("TM. Ủy ban nhân dân")

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Đang soạn kế hoạch")
        UPCOMING = "upcoming", _("Sắp mở đăng ký")
        REGISTRATION = "registration", _("Đang mở đăng ký mô hình")
        IN_PROGRESS = "in_progress", _("Đang triển khai")
        MID_YEAR_REVIEW = "mid_year_review", _("Sơ kết giữa năm")
        YEAR_END_REVIEW = "year_end_review", _("Tổng kết cuối năm")
        CLOSED = "closed", _("Đã kết thúc")

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Phong trào hằng năm")
        STAGE = "stage", _("Giai đoạn nhiều năm")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("tổ chức"),
    )
    kind = models.CharField(
        _("loại"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.YEARLY,
        db_default=Kind.YEARLY,
        editable=False,
        help_text=_(
            "Một giai đoạn (ví dụ 2026–2030) có kế hoạch riêng, sơ kết giữa giai đoạn và "
            "tổng kết; các phong trào hằng năm thuộc giai đoạn."
        ),
    )
    stage = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="yearly_campaigns",
        limit_choices_to={"kind": "stage"},
        verbose_name=_("thuộc giai đoạn"),
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("đến năm"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Năm cuối của giai đoạn."),
    )
    name = models.CharField(_("tên phong trào"), max_length=255)
    form = models.CharField(
        _("hình thức"), max_length=20, choices=Form.choices, default=Form.REGULAR
    )

    class DocumentKind(models.TextChoices):
        PLAN = "KH", _("Kế hoạch")
        GUIDANCE = "HD", _("Hướng dẫn")
        LETTER = "CV", _("Công văn (thư kêu gọi)")

    issuing_body = models.ForeignKey(
        "accounts.IssuingBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("cơ quan phát động"),
        help_text=_(
            "Để trống khi Ủy ban nhân dân phát động. Đảng ủy, Mặt trận phát động bằng văn "
            "bản theo thể thức của mình; phiếu đăng ký gửi cơ quan này."
        ),
    )
    document_kind = models.CharField(
        _("loại văn bản phát động"),
        max_length=5,
        choices=DocumentKind.choices,
        default=DocumentKind.PLAN,
        db_default=DocumentKind.PLAN,
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_default=Status.DRAFT,
        editable=False,
    )

    registration_opens = models.DateField(_("mở đăng ký mô hình"))
    registration_deadline = models.DateField(_("hạn đăng ký mô hình"))
    mid_year_review_starts = models.DateField(_("sơ kết giữa năm: từ ngày"))
    mid_year_review_ends = models.DateField(_("sơ kết giữa năm: đến ngày"))
    year_end_review_starts = models.DateField(_("tổng kết cuối năm: từ ngày"))
    year_end_review_ends = models.DateField(_("tổng kết cuối năm: đến ngày"))
    nomination_deadline = models.DateField(_("hạn đề nghị khen thưởng"))

    # The plan document (kế hoạch phát động).
    plan_number = models.PositiveIntegerField(
        _("số kế hoạch"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống để cấp số tự động khi ban hành; chỉ nhập khi đưa vào kế hoạch đã ban hành trên giấy."
        ),
    )
    plan_issue_date = models.DateField(
        _("ngày ban hành"),
        null=True,
        blank=True,
        help_text=_("Để trống để lấy ngày ký ban hành."),
    )
    plan_subject = models.CharField(_("trích yếu"), max_length=500)
    plan_introduction = models.TextField(
        _("đoạn mở đầu"), blank=True, help_text=_("Mỗi dòng là một đoạn văn.")
    )
    plan_closing = models.TextField(
        _("đoạn kết"), blank=True, help_text=_("In sau phần cuối, trước “Nơi nhận”.")
    )
    recipients = models.TextField(
        _("nơi nhận"),
        default="Lưu: VT.",
        help_text=_(
            "Mỗi dòng một nơi nhận, không cần gạch đầu dòng; dòng cuối thường là “Lưu: VT.”."
        ),
    )
    plan_signer_name = models.CharField(
        _("người ký"),
        max_length=150,
        blank=True,
        editable=False,
        help_text=_("Người ký văn bản của Đảng ủy, Mặt trận (ký trên giấy, văn phòng vào sổ)."),
    )
    signing_mode = models.CharField(
        _("thể thức ký"),
        max_length=20,
        choices=SigningMode.choices,
        default=SigningMode.DIRECT,
        help_text=_("Khi Phó Chủ tịch ký, văn bản tự ghi “KT. CHỦ TỊCH”."),
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
    # When the office last sent the draft to the chairman and vice-chairmen to sign: the
    # signers' inbox counts the drafts waiting for them, not every draft being written.
    sent_for_signature_at = models.DateTimeField(
        _("trình ký lúc"), null=True, blank=True, editable=False
    )
    cloned_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="clones",
        verbose_name=_("nhân bản từ"),
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
    # Bumped by every edit; an edit based on an older version is refused, not lost.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = pgettext_lazy("plural", "phong trào thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="campaign_name_unique_in_organization",
                violation_error_message=_("Tổ chức đã có phong trào trùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__gte=F("registration_opens")),
                name="campaign_registration_deadline_after_opening",
                violation_error_message=_("Hạn đăng ký không được trước ngày mở đăng ký."),
            ),
            models.CheckConstraint(
                condition=Q(mid_year_review_ends__gte=F("mid_year_review_starts"))
                & Q(year_end_review_ends__gte=F("year_end_review_starts")),
                name="campaign_review_windows_ordered",
                violation_error_message=_("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "-year"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def clean(self):
        """Key dates must fall in the campaign's year and follow one another."""
        from django.core.exceptions import ValidationError

        errors = {}
        first, last = self.year, self.year
        if self.kind == Campaign.Kind.STAGE:
            if not self.end_year or not self.year or self.end_year <= self.year:
                errors["end_year"] = _("Năm cuối của giai đoạn phải sau năm đầu.")
            elif self.end_year - self.year > 10:
                errors["end_year"] = _("Một giai đoạn dài tối đa 10 năm.")
            else:
                last = self.end_year
            if self.stage_id:
                errors["stage"] = _("Một giai đoạn không thuộc giai đoạn khác.")
        elif self.stage_id:
            stage = self.stage
            if stage.kind != Campaign.Kind.STAGE or stage.organization_id != self.organization_id:
                errors["stage"] = _("Giai đoạn không thuộc tổ chức này.")
            elif self.year and not (stage.year <= self.year <= (stage.end_year or stage.year)):
                errors["stage"] = _(
                    "Năm %(year)s không nằm trong giai đoạn %(first)s–%(last)s."
                ) % {"year": self.year, "first": stage.year, "last": stage.end_year}
        if (
            self.issuing_body_id
            and self.organization_id
            and self.issuing_body.organization_id != self.organization_id
        ):
            errors["issuing_body"] = _("Cơ quan phát động không thuộc tổ chức này.")
        dated = [
            "registration_opens",
            "registration_deadline",
            "mid_year_review_starts",
            "mid_year_review_ends",
            "year_end_review_starts",
            "year_end_review_ends",
            "nomination_deadline",
        ]
        if self.year:
            for name in dated:
                value = getattr(self, name)
                if value is None or first <= value.year <= last:
                    continue
                if first == last:
                    errors[name] = _("Ngày này phải thuộc năm %(year)s của phong trào.") % {
                        "year": self.year
                    }
                else:
                    errors[name] = _("Ngày này phải thuộc giai đoạn %(first)s–%(last)s.") % {
                        "first": first,
                        "last": last,
                    }
        order = [
            (
                "registration_opens",
                "registration_deadline",
                _("Hạn đăng ký không được trước ngày mở đăng ký."),
            ),
            (
                "mid_year_review_starts",
                "mid_year_review_ends",
                _("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
            (
                "year_end_review_starts",
                "year_end_review_ends",
                _("Ngày kết thúc không được trước ngày bắt đầu."),
            ),
            ("registration_deadline", "mid_year_review_starts", _("Sơ kết phải sau hạn đăng ký.")),
            ("mid_year_review_ends", "year_end_review_starts", _("Tổng kết phải sau sơ kết.")),
        ]
        for earlier, later, message in order:
            first, second = getattr(self, earlier), getattr(self, later)
            if first and second and second < first and later not in errors:
                errors[later] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_stage(self) -> bool:
        return self.kind == Campaign.Kind.STAGE

    @property
    def years_label(self) -> str:
        """ "2026" or, for a stage, "2026–2030"."""
        return f"{self.year}–{self.end_year}" if self.is_stage else str(self.year)

    def phase(self, today: date) -> "Campaign.Phase":
        """Where the campaign stands on ``today``, from its status and key dates."""
        Phase = Campaign.Phase
        if self.status == Campaign.Status.DRAFT:
            return Phase.DRAFT
        if self.status == Campaign.Status.CLOSED or today > self.year_end_review_ends:
            return Phase.CLOSED
        if self.is_stage:  # no registration window of its own
            if self.mid_year_review_starts <= today <= self.mid_year_review_ends:
                return Phase.MID_YEAR_REVIEW
            if today >= self.year_end_review_starts:
                return Phase.YEAR_END_REVIEW
            return Phase.IN_PROGRESS
        if today < self.registration_opens:
            return Phase.UPCOMING
        if today <= self.registration_deadline:
            return Phase.REGISTRATION
        if self.mid_year_review_starts <= today <= self.mid_year_review_ends:
            return Phase.MID_YEAR_REVIEW
        if today >= self.year_end_review_starts:
            return Phase.YEAR_END_REVIEW
        return Phase.IN_PROGRESS

    def past_registration_deadline(self, today: date) -> bool:
        """An issued yearly campaign whose registration deadline has passed and whose
        year is not yet over: when a unit may still register late, by extension."""
        return (
            self.status == Campaign.Status.ISSUED
            and not self.is_stage
            and self.registration_deadline < today <= self.year_end_review_ends
        )

    def takes_nominations(self, today: date) -> bool:
        """Issued, and its nomination deadline not passed: units and the office may
        propose awards (``awards.services.nomination_create`` says why not otherwise)."""
        return self.status == Campaign.Status.ISSUED and today <= self.nomination_deadline

    def registration_days_left(self, today: date) -> int | None:
        if self.status != Campaign.Status.ISSUED or self.is_stage:
            return None
        if self.registration_opens <= today <= self.registration_deadline:
            return (self.registration_deadline - today).days
        return None

    @property
    def recipient_lines(self) -> list[str]:
        return [
            line.strip().lstrip("-").strip()
            for line in self.recipients.splitlines()
            if line.strip()
        ]

    @property
    def is_draft(self) -> bool:
        return self.status == Campaign.Status.DRAFT


class LegalBasis(models.Model):
    """One "Căn cứ …" reference of the plan, e.g. kế hoạch số 44/KH-UBND ngày 19/3/2024."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="legal_bases", verbose_name=_("phong trào")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(
        _("loại văn bản"),
        max_length=100,
        help_text=_("Ví dụ: kế hoạch, quyết định, Luật, Nghị định."),
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = pgettext_lazy("plural", "căn cứ pháp lý")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """ "kế hoạch số 44/KH-UBND ngày 19/3/2024 của UBND phường về …" (no "Căn cứ")."""
        parts = [self.kind.strip()]
        if self.number:
            parts.append(f"số {self.number.strip()}")
        if self.issued_on:
            parts.append(f"ngày {self.issued_on.day}/{self.issued_on.month}/{self.issued_on.year}")
        if self.issuer:
            parts.append(f"của {self.issuer.strip()}")
        if self.title:
            parts.append(self.title.strip())
        return " ".join(part for part in parts if part)


class Section(models.Model):
    """A numbered part of the plan (I., II., …) holding ordered items."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="sections", verbose_name=_("phong trào")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu đề mục"), max_length=300)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("mục của kế hoạch")
        verbose_name_plural = pgettext_lazy("plural", "mục của kế hoạch")

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """A numbered point of a section (1., 2., …), or a sub-point of one (a., b., …)."""

    class Role(models.TextChoices):
        NONE = "", _("—")
        COLLECTIVE_CRITERIA = "collective_criteria", _("Tiêu chí tập thể điển hình")
        INDIVIDUAL_CRITERIA = "individual_criteria", _("Tiêu chí cá nhân điển hình")
        MODEL_OF_THE_YEAR = "model_of_the_year", _("Mô hình của năm")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("mục")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc điểm"),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    lead = models.CharField(
        _("tiêu đề in đậm"),
        max_length=300,
        blank=True,
        help_text=_("Không bắt buộc, ví dụ “Tập thể điển hình “Dân vận khéo”:”."),
    )
    text = models.TextField(_("nội dung"))
    role = models.CharField(
        _("ý nghĩa"),
        max_length=30,
        choices=Role.choices,
        blank=True,
        default="",
        help_text=_("Đánh dấu điểm nêu tiêu chí điển hình hoặc mô hình của năm."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["section", "parent_id", "position", "pk"]
        verbose_name = _("điểm của kế hoạch")
        verbose_name_plural = pgettext_lazy("plural", "điểm của kế hoạch")

    def __str__(self) -> str:
        return (self.lead or self.text)[:80]
