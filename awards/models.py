from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.text import vnd
from models_registry.models import Registration


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HOUSEHOLD = "household", _("Hộ gia đình")


class AwardForm(models.Model):
    """A form of award or a title (Giấy khen, Lao động tiên tiến, …); reference data."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("Chủ tịch UBND cấp xã quyết định")
        HIGHER = "higher", _("Đề nghị cấp trên khen thưởng")

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên hình thức, danh hiệu"), max_length=200)
    is_title = models.BooleanField(_("là danh hiệu thi đua"), default=False)
    level = models.CharField(
        _("thẩm quyền"), max_length=20, choices=Level.choices, default=Level.COMMUNE
    )
    level_basis = models.CharField(
        _("căn cứ thẩm quyền"),
        max_length=500,
        blank=True,
        help_text=_("Văn bản và điều khoản giao thẩm quyền quyết định hình thức này."),
    )
    has_reward = models.BooleanField(
        _("kèm tiền thưởng"),
        default=True,
        db_default=True,
        help_text=_(
            "Bỏ chọn cho hình thức công nhận không kèm tiền, ví dụ Giấy chứng nhận mô hình."
        ),
    )
    paper_title = models.CharField(
        _("tên in trên giấy"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Dòng lớn in trên giấy trao cho người được khen, ví dụ “GIẤY KHEN”, “GIẤY CHỨNG "
            "NHẬN”. Để trống: “GIẤY KHEN”, hoặc tên danh hiệu."
        ),
    )
    for_collective = models.BooleanField(_("tặng tập thể"), default=False)
    for_individual = models.BooleanField(_("tặng cá nhân"), default=False)
    for_household = models.BooleanField(_("tặng hộ gia đình"), default=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = pgettext_lazy("plural", "hình thức khen thưởng")

    def __str__(self) -> str:
        return self.name

    @property
    def paper_name(self) -> str:
        """The paper handed over, in a sentence: "giấy khen", "giấy chứng nhận", "danh
        hiệu “Lao động tiên tiến”"."""
        if self.paper_title:
            return self.paper_title.lower()
        if self.is_title:
            return self.name[:1].lower() + self.name[1:]
        return "giấy khen"

    @property
    def printed_title(self) -> str:
        """The large line of the paper handed over: "GIẤY KHEN", "GIẤY CHỨNG NHẬN", or
        the title's name ("DANH HIỆU “LAO ĐỘNG TIÊN TIẾN”")."""
        if self.paper_title:
            return self.paper_title.upper()
        return self.name.upper() if self.is_title else "GIẤY KHEN"

    def allows(self, kind: str) -> bool:
        return {
            RecipientKind.COLLECTIVE: self.for_collective,
            RecipientKind.INDIVIDUAL: self.for_individual,
            RecipientKind.HOUSEHOLD: self.for_household,
        }.get(kind, False)


class EffectiveDated(models.Model):
    """Reference data that changes by decree: in force from ``effective_from`` to
    ``effective_to`` (inclusive; open-ended when empty), with the legal source it comes
    from. A change is a new row; the old one stays for the decisions of its time."""

    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(
        _("áp dụng đến hết ngày"), null=True, blank=True, help_text=_("Để trống nếu còn áp dụng.")
    )
    legal_basis = models.CharField(
        _("nguồn"),
        max_length=300,
        help_text=_("Số văn bản và điều, khoản, ví dụ “Nghị định số 152/2025/NĐ-CP, Điều 54”."),
    )
    note = models.TextField(
        _("ghi chú"),
        blank=True,
        help_text=_("Nơi đã đối chiếu, hoặc điều còn phải kiểm tra."),
    )

    class Meta:
        abstract = True

    @property
    def period(self) -> str:
        start = f"{self.effective_from:%d/%m/%Y}"
        return f"{start} – {self.effective_to:%d/%m/%Y}" if self.effective_to else f"{start} –"

    def overlapping(self, queryset):
        """Rows of ``queryset`` (the same thing's other rows) whose period meets this one's."""
        others = queryset.exclude(pk=self.pk).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )
        if self.effective_to is not None:
            others = others.filter(effective_from__lte=self.effective_to)
        return others

    def clean(self):
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("Ngày hết áp dụng phải sau ngày bắt đầu.")})


def in_force(queryset, day):
    """The rows of an EffectiveDated queryset in force on ``day``."""
    return queryset.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


class Multiplier(EffectiveDated):
    """The cash reward of an award form for a kind of recipient, as a multiple of the base
    salary. An empty multiplier records that the law sets no amount (the province or the
    organisation must enter one before an award of the form can be priced)."""

    award_form = models.ForeignKey(
        AwardForm, on_delete=models.CASCADE, related_name="multipliers", verbose_name=_("hình thức")
    )
    recipient_kind = models.CharField(_("đối tượng"), max_length=20, choices=RecipientKind.choices)
    multiplier = models.DecimalField(
        _("hệ số so với mức lương cơ sở"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Để trống nếu văn bản không quy định mức."),
    )

    class Meta:
        ordering = ["award_form", "recipient_kind", "-effective_from"]
        verbose_name = _("mức tiền thưởng")
        verbose_name_plural = pgettext_lazy("plural", "mức tiền thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["award_form", "recipient_kind", "effective_from"],
                name="multiplier_one_per_day",
                violation_error_message=_("Đã có hệ số cho hình thức và đối tượng này từ ngày đó."),
            ),
            models.CheckConstraint(condition=Q(multiplier__gte=0), name="multiplier_not_negative"),
        ]

    def __str__(self) -> str:
        value = self.multiplier if self.multiplier is not None else "—"
        return f"{self.award_form} – {self.get_recipient_kind_display()}: {value}"

    def clean(self):
        super().clean()
        if (
            self.award_form_id
            and self.overlapping(
                Multiplier.objects.filter(
                    award_form_id=self.award_form_id, recipient_kind=self.recipient_kind
                )
            ).exists()
        ):
            raise ValidationError(
                _("Thời gian áp dụng trùng với một mức khác của cùng hình thức và đối tượng.")
            )


class BaseSalary(EffectiveDated):
    """The base salary (mức lương cơ sở) in force from ``effective_from``."""

    amount_vnd = models.PositiveBigIntegerField(_("mức lương cơ sở (đồng)"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = pgettext_lazy("plural", "mức lương cơ sở")
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                name="base_salary_one_per_day",
                violation_error_message=_("Đã có mức lương cơ sở từ ngày này."),
            )
        ]

    def __str__(self) -> str:
        return f"{vnd(self.amount_vnd, 'đ')} từ {self.effective_from:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.overlapping(BaseSalary.objects.all()).exists():
            raise ValidationError(_("Thời gian áp dụng trùng với một mức lương cơ sở khác."))


class RoundingRule(EffectiveDated):
    """How a reward (multiplier × base salary) is rounded, as the decree in force says."""

    class Mode(models.TextChoices):
        NONE = "none", _("Không làm tròn")
        UP = "up", _("Làm tròn lên")
        NEAREST = "nearest", _("Làm tròn đến gần nhất")

    mode = models.CharField(_("cách làm tròn"), max_length=10, choices=Mode.choices)
    step_vnd = models.PositiveIntegerField(
        _("làm tròn đến (đồng)"), default=10_000, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("quy tắc làm tròn tiền thưởng")
        verbose_name_plural = pgettext_lazy("plural", "quy tắc làm tròn tiền thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from"],
                name="rounding_rule_one_per_day",
                violation_error_message=_("Đã có quy tắc làm tròn từ ngày này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {vnd(self.step_vnd, 'đ')} ({self.period})"

    def apply(self, amount: Decimal) -> int:
        """The amount in whole đồng, rounded as the rule says (a half đồng up without one)."""
        step = Decimal(self.step_vnd)
        if self.mode == self.Mode.UP:
            return int((amount / step).to_integral_value(rounding=ROUND_CEILING) * step)
        if self.mode == self.Mode.NEAREST:
            return int((amount / step).to_integral_value(rounding=ROUND_HALF_UP) * step)
        return int(amount.to_integral_value(rounding=ROUND_HALF_UP))

    def clean(self):
        super().clean()
        if self.overlapping(RoundingRule.objects.all()).exists():
            raise ValidationError(_("Thời gian áp dụng trùng với một quy tắc làm tròn khác."))


class PassThreshold(models.Model):
    """An organisation's own pass threshold for one award form (a higher share for
    "Chiến sĩ thi đua cơ sở", say); other forms use the organisation's threshold."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="pass_thresholds",
        verbose_name=_("tổ chức"),
    )
    award_form = models.ForeignKey(
        AwardForm, on_delete=models.CASCADE, related_name="+", verbose_name=_("hình thức")
    )
    pass_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ thông qua (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["organization", "award_form"]
        verbose_name = _("tỷ lệ thông qua theo hình thức")
        verbose_name_plural = pgettext_lazy("plural", "tỷ lệ thông qua theo hình thức")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "award_form"],
                name="pass_threshold_one_per_form",
                violation_error_message=_("Tổ chức đã có tỷ lệ thông qua cho hình thức này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.award_form}: {self.pass_percent}%"


class Nomination(models.Model):
    """A proposal to award a collective, a person, a household or a recognised model.

    Status changes only through ``awards.services.nomination_transition``.
    """

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")
        HOUSEHOLD = "household", _("Hộ gia đình")
        MODEL = "model", _("Mô hình")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đã đề nghị")
        PASSED = "passed", _("Hội đồng thông qua")
        NOT_PASSED = "not_passed", _("Hội đồng không thông qua")
        APPROVED = "approved", _("Đã khen thưởng")
        REJECTED = "rejected", _("Chủ tịch không phê duyệt")
        ESCALATED = "escalated", _("Đã đề nghị cấp trên")
        WITHDRAWN = "withdrawn", _("Đã rút")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="nominations",
        editable=False,
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("phong trào"),
    )
    kind = models.CharField(_("đối tượng"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("đơn vị"),
        help_text=_("Tập thể được đề nghị, hoặc đơn vị công tác của cá nhân."),
    )
    person_name = models.CharField(_("họ và tên / tên hộ"), max_length=150, blank=True)
    person_position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    registration = models.ForeignKey(
        "models_registry.Registration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("mô hình"),
    )
    award_form = models.ForeignKey(
        AwardForm,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("hình thức khen thưởng"),
    )
    achievements = models.TextField(_("tóm tắt thành tích"))
    report = models.FileField(
        _("báo cáo thành tích"), upload_to="nominations/%Y/", blank=True, max_length=300
    )
    report_name = models.CharField(_("tên tệp báo cáo"), max_length=200, blank=True)
    # "unit:12", "person:7:nguyen van a", "model:34": one nomination per nominee and campaign.
    nominee_key = models.CharField(max_length=200, editable=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.PROPOSED,
        db_default=Status.PROPOSED,
        editable=False,
    )
    status_reason = models.TextField(_("lý do"), blank=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    proposed_by_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("đề nghị lúc"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "kind", "pk"]
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = pgettext_lazy("plural", "đề nghị khen thưởng")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "nominee_key"],
                condition=~Q(status="withdrawn"),
                name="nomination_one_per_nominee_and_campaign",
                violation_error_message=_(
                    "Đối tượng này đã được đề nghị một hình thức khen thưởng cho cùng thành tích trong phong trào."
                ),
            )
        ]
        indexes = [
            # With the form: the chairman's inbox counts the nominations waiting for him
            # (commune-level forms) from the index alone.
            models.Index(
                fields=["organization", "campaign", "status", "award_form"],
                name="nomination_org_campaign_status",
            ),
            # The back office's list order, to its last key: with it, the list reads its
            # page from the index (with only the date, the newest first were sorted).
            models.Index(
                fields=["organization", "-created_at", "-id"], name="nomination_org_created"
            ),
            # In the lists' order: the awards page reads its first 200 from the index,
            # joining their models one by one rather than all the organisation's.
            models.Index(fields=["organization", "kind", "id"], name="nomination_org_kind"),
            # The same for one campaign's page of them: in a database of many communes,
            # without it the page joined all the campaign's nominations to sort them.
            models.Index(
                fields=["organization", "campaign", "kind", "id"],
                name="nomination_org_campaign_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} – {self.award_form}"

    @property
    def nominee_name(self) -> str:
        if self.kind in (Nomination.Kind.INDIVIDUAL, Nomination.Kind.HOUSEHOLD):
            return self.person_name
        if self.kind == Nomination.Kind.MODEL and self.registration_id:
            return self.registration.name
        return self.unit.name if self.unit_id else ""

    @property
    def report_format(self) -> str:
        """ "pdf" or "docx": the extension of the uploaded achievement report, if any."""
        return self.report.name.rsplit(".", 1)[-1].lower() if self.report else ""

    @property
    def recipient_kind(self) -> str:
        return self.recipient_kind_of(
            self.kind, self.registration if self.registration_id else None
        )

    @staticmethod
    def recipient_kind_of(kind: str, registration) -> str:
        """Who receives the award, as the law knows them (a person, a collective, a
        household): a model's award goes to whoever owns it, the person for a model of a
        person, else its lead unit, a collective."""
        return Nomination.recipient_kind_for(
            kind, registration.owner_kind if registration is not None else None
        )

    @staticmethod
    def recipient_kind_for(kind: str, owner_kind: str | None) -> str:
        """``recipient_kind_of`` from the model's owner kind alone (None: no model)."""
        if kind != Nomination.Kind.MODEL:
            return kind
        if owner_kind == Registration.Owner.INDIVIDUAL:
            return RecipientKind.INDIVIDUAL
        return RecipientKind.COLLECTIVE


class CouncilMember(models.Model):
    """A member of the commune's Emulation and Commendation Council for a year."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch Hội đồng")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
        MEMBER = "member", _("Ủy viên")
        SECRETARY = "secretary", _("Ủy viên thư ký")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="council_members",
        verbose_name=_("tổ chức"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    role = models.CharField(
        _("vai trò trong Hội đồng"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )

    class Meta:
        ordering = ["organization", "year", "role", "name"]
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = pgettext_lazy("plural", "thành viên Hội đồng")
        indexes = [models.Index(fields=["organization", "year"])]

    def __str__(self) -> str:
        return self.name


class CouncilMeeting(models.Model):
    """A meeting of the council that votes, by secret ballot, on a campaign's nominations."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="council_meetings",
        editable=False,
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="council_meetings",
        verbose_name=_("phong trào"),
    )
    held_on = models.DateField(_("ngày họp"))
    location = models.CharField(_("địa điểm"), max_length=200)
    total_members = models.PositiveSmallIntegerField(
        _("tổng số thành viên"), validators=[MinValueValidator(1)]
    )
    present = models.PositiveSmallIntegerField(_("số thành viên có mặt"))
    chair = models.CharField(_("chủ trì"), max_length=150)
    secretary = models.CharField(_("thư ký"), max_length=150)
    pass_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ thông qua (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        editable=False,
        help_text=_("Lấy theo cấu hình của tổ chức khi lập cuộc họp."),
    )
    # {award form id: percent} for the forms the organisation sets its own threshold for,
    # as they stood when the meeting was recorded.
    form_thresholds = models.JSONField(
        _("tỷ lệ thông qua theo hình thức"), default=dict, blank=True, editable=False
    )
    votes_closed = models.BooleanField(_("đã chốt kết quả"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("cuộc họp Hội đồng")
        verbose_name_plural = pgettext_lazy("plural", "cuộc họp Hội đồng")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=F("total_members")),
                name="meeting_present_not_above_total",
                violation_error_message=_("Số có mặt không được lớn hơn tổng số thành viên."),
            )
        ]
        indexes = [models.Index(fields=["organization", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.held_on:%d/%m/%Y}"

    def threshold_for(self, award_form_id: int) -> int:
        """The pass threshold applied to a nomination for this award form."""
        return int(self.form_thresholds.get(str(award_form_id), self.pass_percent))

    def passes(self, votes_in_favour: int, award_form_id: int | None = None) -> bool:
        """At least the form's threshold (%) of ALL members (not only those present) voted
        for; without a form, the meeting's own threshold."""
        percent = self.pass_percent if award_form_id is None else self.threshold_for(award_form_id)
        return votes_in_favour * 100 >= percent * self.total_members


class Vote(models.Model):
    """The secret-ballot result of one nomination at one meeting."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="votes")
    votes_in_favour = models.PositiveSmallIntegerField(_("số phiếu đồng ý"))

    class Meta:
        ordering = ["meeting", "nomination"]
        verbose_name = _("kết quả bỏ phiếu")
        verbose_name_plural = pgettext_lazy("plural", "kết quả bỏ phiếu")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "nomination"], name="vote_one_per_nomination"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.votes_in_favour}"

    @property
    def threshold(self) -> int:
        """The pass threshold (%) applied to this nomination at this meeting."""
        return self.meeting.threshold_for(self.nomination.award_form_id)

    @property
    def passed(self) -> bool:
        return self.meeting.passes(self.votes_in_favour, self.nomination.award_form_id)


class AwardDecision(models.Model):
    """The chairman's award decision (Quyết định khen thưởng); issued, it never changes."""

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="award_decisions",
        editable=False,
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="award_decisions",
        editable=False,
    )
    issued_document = models.OneToOneField(
        "documents.IssuedDocument", on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_on = models.DateField(_("ngày quyết định"), editable=False)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    base_salary_vnd = models.PositiveBigIntegerField(_("mức lương cơ sở áp dụng"), editable=False)
    total_vnd = models.PositiveBigIntegerField(_("tổng tiền thưởng"), editable=False)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="replaced_by",
        verbose_name=_("thay thế quyết định"),
    )
    replacement_reason = models.TextField(_("lý do thay thế"), blank=True, editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = pgettext_lazy("plural", "quyết định khen thưởng")
        indexes = [models.Index(fields=["organization", "-decided_on"])]

    def __str__(self) -> str:
        return self.issued_document.number_symbol if self.issued_document_id else str(self.pk)


class Award(models.Model):
    """One awardee of a decision, with the amount fixed on the decision date. A revoked
    award keeps its row, with who revoked it, when and why."""

    decision = models.ForeignKey(
        AwardDecision, on_delete=models.PROTECT, related_name="awards", editable=False
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="awards", editable=False
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="awards", editable=False
    )
    award_form = models.ForeignKey(
        AwardForm,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("hình thức khen thưởng"),
    )
    recipient_name = models.CharField(_("tên tập thể, cá nhân"), max_length=300, editable=False)
    recipient_detail = models.CharField(
        _("chức vụ, đơn vị"), max_length=300, blank=True, editable=False
    )
    recipient_kind = models.CharField(max_length=20, choices=RecipientKind.choices, editable=False)
    multiplier = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2, editable=False)
    amount_vnd = models.PositiveBigIntegerField(_("tiền thưởng"), editable=False)
    position = models.PositiveSmallIntegerField(_("số thứ tự"), default=0, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_reason = models.TextField(_("lý do thu hồi"), blank=True, editable=False)
    superseded = models.BooleanField(
        _("đã được thay thế"),
        default=False,
        db_default=False,
        editable=False,
        help_text=_("Quyết định chứa khen thưởng này đã được một quyết định khác thay thế."),
    )

    class Meta:
        ordering = ["decision", "position"]
        verbose_name = _("khen thưởng")
        verbose_name_plural = pgettext_lazy("plural", "khen thưởng")
        indexes = [models.Index(fields=["organization", "decision"])]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(superseded=False),
                name="award_one_current_per_nomination",
                violation_error_message=_("Đề nghị này đã được khen thưởng."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} – {self.award_form}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


# The awards a decision still gives: not revoked, and not in a decision since replaced.
AWARDS_IN_FORCE = Q(revoked_at__isnull=True, superseded=False)


class Escalation(models.Model):
    """A nomination proposed to the level above (a province's Bằng khen, …) and its outcome."""

    class Status(models.TextChoices):
        SENT = "sent", _("Đã gửi cấp trên")
        APPROVED = "approved", _("Cấp trên đã khen thưởng")
        REFUSED = "refused", _("Cấp trên không khen thưởng")

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="escalation"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    sent_to = models.CharField(_("gửi đến"), max_length=200)
    sent_on = models.DateField(_("ngày gửi"))
    reference = models.CharField(_("số văn bản đề nghị"), max_length=60, blank=True)
    status = models.CharField(
        _("kết quả"), max_length=20, choices=Status.choices, default=Status.SENT, editable=False
    )
    outcome_on = models.DateField(_("ngày có kết quả"), null=True, blank=True, editable=False)
    outcome_note = models.CharField(
        _("ghi chú kết quả"), max_length=300, blank=True, editable=False
    )

    class Meta:
        ordering = ["-sent_on"]
        verbose_name = _("đề nghị cấp trên")
        verbose_name_plural = pgettext_lazy("plural", "đề nghị cấp trên")

    def __str__(self) -> str:
        return f"{self.nomination} → {self.sent_to}"
