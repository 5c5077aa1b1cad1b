"""Inspection and evaluation of registered models: rubric, rounds, assignments and scores.

A campaign has one rubric (ordered criteria and rating bands). Each round of inspection
(periodic, mid-year review, year-end review, ad hoc) covers a set of registrations
(``Inspection``: one model in one round); evaluators are assigned to inspections
(``Assignment``) and score every criterion (``Score``); the lead unit scores itself
(``SelfScore``). Totals are on a 0–100 scale, see ``evaluations.scoring``.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.models import PrivateFile

HUNDRED = Decimal(100)


class Rubric(models.Model):
    """The scoring rules of one campaign. Locked (``locked_at``) by the first saved score,
    after which neither its criteria nor its bands change."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="rubric",
        verbose_name=_("phong trào"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tổ chức"),
        editable=False,
    )
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("thang điểm")
        verbose_name_plural = pgettext_lazy("plural", "thang điểm")
        indexes = [models.Index(fields=["organization", "campaign"])]

    def __str__(self) -> str:
        return str(_("Thang điểm – %(campaign)s") % {"campaign": self.campaign})

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Criterion(models.Model):
    """One criterion of a rubric: its points run from 0 to ``max_points``; ``weight``
    says how much it counts in the total (1 = as its points)."""

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("thang điểm")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu chí"), max_length=300)
    description = models.TextField(_("nội dung, cách chấm"), blank=True)
    max_points = models.DecimalField(
        _("điểm tối đa"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1000))],
    )
    weight = models.DecimalField(
        _("trọng số"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["rubric_id", "position", "pk"]
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = pgettext_lazy("plural", "tiêu chí chấm điểm")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="criterion_max_points_positive",
                violation_error_message=_("Điểm tối đa phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("Trọng số phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RatingBand(models.Model):
    """A rating (xếp loại): a total of at least ``min_score`` earns it, unless a higher
    band also fits. ``passing`` bands suggest recognising the model at year end."""

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="bands", verbose_name=_("thang điểm")
    )
    name = models.CharField(_("xếp loại"), max_length=60)
    min_score = models.DecimalField(
        _("từ điểm"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )
    passing = models.BooleanField(
        _("đạt yêu cầu"),
        default=True,
        help_text=_("Mô hình xếp loại này được đề xuất công nhận khi tổng kết."),
    )

    class Meta:
        ordering = ["rubric_id", "-min_score"]
        verbose_name = _("mức xếp loại")
        verbose_name_plural = pgettext_lazy("plural", "mức xếp loại")
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "name"],
                name="rating_band_name_unique",
                violation_error_message=_("Hai mức xếp loại trùng tên."),
            ),
            models.UniqueConstraint(
                fields=["rubric", "min_score"],
                name="rating_band_min_score_unique",
                violation_error_message=_("Hai mức xếp loại trùng điểm sàn."),
            ),
            models.CheckConstraint(
                condition=Q(min_score__gte=0) & Q(min_score__lte=100),
                name="rating_band_min_score_0_100",
                violation_error_message=_("Điểm sàn phải từ 0 đến 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def min_hundredths(self) -> int:
        return int(self.min_score * 100)


class Round(models.Model):
    """One round of inspection of a campaign's models. Status changes only through
    ``evaluations.services.round_transition``; a closed round is read-only."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Kiểm tra định kỳ")
        MID_YEAR = "mid_year", _("Sơ kết giữa năm")
        YEAR_END = "year_end", _("Tổng kết cuối năm")
        AD_HOC = "ad_hoc", _("Kiểm tra đột xuất")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        OPEN = "open", _("Đang chấm điểm")
        CLOSED = "closed", _("Đã kết thúc")

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tổ chức"),
        editable=False,
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        verbose_name=_("phong trào"),
    )
    kind = models.CharField(_("loại đợt"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên đợt"), max_length=200)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        db_default=Status.PLANNED,
        editable=False,
    )
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), db_default=Now(), editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["campaign_id", "starts_on", "pk"]
        verbose_name = _("đợt kiểm tra, đánh giá")
        verbose_name_plural = pgettext_lazy("plural", "đợt kiểm tra, đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="round_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="round_name_unique_in_campaign",
                violation_error_message=_("Phong trào đã có đợt trùng tên."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "kind"],
                condition=Q(kind__in=["mid_year", "year_end"]),
                name="round_one_review_of_a_kind",
                violation_error_message=_(
                    "Mỗi phong trào chỉ có một đợt sơ kết và một đợt tổng kết."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "campaign", "status"]),
            models.Index(fields=["status", "ends_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == Round.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == Round.Status.CLOSED


def draft_saved_at(draft: dict):
    """When a form kept half-filled (``{"fields": …, "saved_at": ISO time}``) was saved."""
    saved_at = draft.get("saved_at") if draft else None
    return datetime.fromisoformat(saved_at) if saved_at else None


class InspectionQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        # The registrations copied from, in one query for those not given loaded.
        prefetch_related_objects(objs, "registration")
        for inspection in objs:
            inspection.copy_from_registration()
        return super().bulk_create(objs, *args, **kwargs)

    def refresh_results(self) -> int:
        """Recount ``assigned_count``, ``scored_count`` and ``scored_sum_hundredths`` of
        these inspections from their assignments (one UPDATE). Whoever adds, removes or
        scores an assignment calls it in the same transaction, the inspection's row locked
        first, so that two evaluators saving at once both count."""
        assignments = Assignment.objects.filter(inspection_id=OuterRef("pk")).order_by()
        scored = assignments.filter(scored_at__isnull=False)

        def aggregate(queryset, expression):
            return Coalesce(
                Subquery(
                    queryset.values("inspection_id").annotate(n=expression).values("n"),
                    output_field=models.IntegerField(),
                ),
                0,
            )

        return self.order_by().update(
            assigned_count=aggregate(assignments, Count("pk")),
            scored_count=aggregate(scored, Count("pk")),
            scored_sum_hundredths=aggregate(scored, Sum("total_hundredths")),
        )


class Inspection(models.Model):
    """One registered model within one round: the unit's self-assessment lives here,
    the evaluators' scores hang off its assignments.

    ``assigned_count``, ``scored_count`` and ``scored_sum_hundredths`` summarise those
    assignments (``InspectionQuerySet.refresh_results``), so that a round's counts and
    ratings read the round's inspections alone, never its score sheets: a round of
    70,000 models is counted in the same time whatever the size of the database.

    ``unit`` is the registration's lead unit, copied when the inspection is created: only
    accepted models enter a round, and a model's unit changes only while it is a draft or
    returned. A unit's models in its open rounds are then one range of an index, counted
    without reading the round's other units' models (a unit officer's inbox).
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("đợt")
    )
    registration = models.ForeignKey(
        "models_registry.Registration",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("mô hình"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # inspection_unit_sent begins with it
        verbose_name=_("đơn vị chủ trì"),
    )
    self_narrative = models.TextField(_("báo cáo tự đánh giá"), blank=True)
    self_evidence = models.TextField(_("minh chứng kèm theo"), blank=True)
    # 0–10000: the self-assessed total in hundredths of a point (see evaluations.scoring).
    self_total_hundredths = models.PositiveIntegerField(null=True, blank=True, editable=False)
    self_submitted_at = models.DateTimeField(
        _("tự đánh giá lúc"), null=True, blank=True, editable=False
    )
    self_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The unit's self-assessment saved half-written, as typed (``{"fields": {form field:
    # text}, "saved_at": ISO time}``): nobody else sees it and it counts for nothing until
    # the unit sends the self-assessment in full, which clears it.
    self_draft = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    assigned_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    scored_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # The sum of the scored assignments' totals, in hundredths (the mean is this / count).
    scored_sum_hundredths = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "pk"]
        verbose_name = _("mô hình được kiểm tra")
        verbose_name_plural = pgettext_lazy("plural", "mô hình được kiểm tra")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "registration"], name="inspection_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(self_total_hundredths__lte=10000),
                name="inspection_self_total_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["registration", "round"]),
            # A unit's models by round with whether their self-assessment was sent: a unit
            # officer's inbox counts those still to send in open rounds from the index
            # alone, reading the unit's entries only.
            models.Index(
                fields=["unit", "round", "self_submitted_at", "id"],
                name="inspection_unit_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.registration}"

    def save(self, *args, **kwargs):
        self.copy_from_registration()
        super().save(*args, **kwargs)

    def copy_from_registration(self) -> None:
        """The registration's unit, on a new inspection: whatever was given, the copy is
        the registration's. A saved inspection keeps it (the column is required)."""
        if self._state.adding:
            self.unit_id = self.registration.unit_id

    @property
    def organization_id(self) -> int:
        """For rules and the audit trail: the organisation, through the round."""
        return self.round.organization_id

    @property
    def self_total(self) -> Decimal | None:
        if self.self_total_hundredths is None:
            return None
        return Decimal(self.self_total_hundredths) / 100

    @property
    def self_draft_saved_at(self):
        """When the half-written self-assessment was saved, or None without one."""
        return draft_saved_at(self.self_draft)


# An evaluator's worklist lists the sheets left to score before the scored ones.
LEFT_TO_SCORE_FIRST = Case(When(scored_at__isnull=True, then=Value(0)), default=Value(1))


class AssignmentQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        # The inspections and registrations copied from, in two queries at most for
        # those not given loaded.
        prefetch_related_objects(objs, "inspection__registration")
        for assignment in objs:
            assignment.copy_from_inspection()
        return super().bulk_create(objs, *args, **kwargs)


class Assignment(models.Model):
    """An evaluator of the inspection team assigned to score one model in one round.

    ``total_hundredths`` is written with the scores, in the same transaction, from the
    same values; the rubric is locked by then, so it cannot drift from them.

    ``round`` is the inspection's, set when the assignment is created (an inspection
    never changes round): a round's sheets are then one range of an index, read without
    visiting the score sheets of every other round in the database. ``sequence`` is the
    model's number in its campaign (``Registration.sequence``, fixed when it is
    registered), set with it: an evaluator's first sheets to score, in the models' order,
    are the first entries of ``assignment_worklist``, not a sort of all their sheets.
    """

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("mô hình được kiểm tra"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        db_index=False,  # assignment_round_evaluator begins with it
        verbose_name=_("đợt"),
    )
    sequence = models.PositiveIntegerField(_("số thứ tự"), editable=False)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
        verbose_name=_("thành viên đoàn kiểm tra"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    assigned_at = models.DateTimeField(db_default=Now(), editable=False)
    inspected_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    findings = models.TextField(_("nhận xét chung"), blank=True)
    total_hundredths = models.PositiveIntegerField(null=True, blank=True, editable=False)
    scored_at = models.DateTimeField(_("chấm lúc"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # A sheet saved half-filled, as typed (``{"fields": {form field: text}, "saved_at":
    # ISO time}``): it counts for nothing until the evaluator saves the sheet in full,
    # which clears it.
    draft = models.JSONField(default=dict, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["inspection_id", "pk"]
        verbose_name = _("phân công chấm điểm")
        verbose_name_plural = pgettext_lazy("plural", "phân công chấm điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "evaluator"],
                name="assignment_once_per_evaluator",
                violation_error_message=_("Thành viên này đã được phân công chấm mô hình."),
            ),
            models.CheckConstraint(
                condition=Q(total_hundredths__lte=10000), name="assignment_total_0_100"
            ),
            models.CheckConstraint(
                condition=Q(scored_at__isnull=True) | Q(total_hundredths__isnull=False),
                name="assignment_scored_has_total",
            ),
        ]
        indexes = [
            models.Index(fields=["evaluator", "inspection"]),
            models.Index(
                fields=["round", "evaluator", "scored_at"], name="assignment_round_evaluator"
            ),
            # An evaluator's sheets of a round, those left to score first, then in the
            # models' order: the order of ``selectors.evaluator_sheets``.
            models.Index(
                F("round"),
                F("evaluator"),
                LEFT_TO_SCORE_FIRST,
                F("sequence"),
                name="assignment_worklist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.inspection.registration}"

    def save(self, *args, **kwargs):
        self.copy_from_inspection()
        super().save(*args, **kwargs)

    def copy_from_inspection(self) -> None:
        """The inspection's round and its model's number, on a new sheet: whatever was
        given, the copies are the inspection's. A saved sheet keeps them (the columns are
        required)."""
        if self._state.adding:
            self.round_id = self.inspection.round_id
            self.sequence = self.inspection.registration.sequence

    @property
    def organization_id(self) -> int:
        """For rules and the audit trail: the organisation, through the round."""
        return self.inspection.round.organization_id

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None

    @property
    def total(self) -> Decimal | None:
        if self.total_hundredths is None:
            return None
        return Decimal(self.total_hundredths) / 100

    @property
    def draft_saved_at(self):
        """When the half-filled sheet was saved, or None without one."""
        return draft_saved_at(self.draft)


class Score(models.Model):
    """An evaluator's points for one criterion (0 to the criterion's maximum: the upper
    bound lives in another table, so the service checks it)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("phân công")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("tiêu chí")
    )
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)

    class Meta:
        ordering = ["assignment_id", "criterion_id"]
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = pgettext_lazy("plural", "điểm theo tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class SelfScore(models.Model):
    """The lead unit's own points for one criterion in one round."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="self_scores",
        verbose_name=_("mô hình được kiểm tra"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("tiêu chí")
    )
    points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("giải trình"), blank=True)

    class Meta:
        ordering = ["inspection_id", "criterion_id"]
        verbose_name = _("điểm tự chấm")
        verbose_name_plural = pgettext_lazy("plural", "điểm tự chấm")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "criterion"], name="self_score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="self_score_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


def self_assessment_file_path(instance, filename: str) -> str:
    inspection = instance.inspection
    return f"evaluations/{inspection.round.organization_id}/{inspection.pk}/{filename}"


class SelfAssessmentFile(PrivateFile):
    """A private evidence file attached to a unit's self-assessment."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="self_files",
        verbose_name=_("mô hình được kiểm tra"),
    )
    file = models.FileField(_("tệp"), upload_to=self_assessment_file_path, max_length=300)

    class Meta:
        ordering = ["inspection_id", "uploaded_at", "pk"]
        verbose_name = _("minh chứng tự đánh giá")
        verbose_name_plural = pgettext_lazy("plural", "minh chứng tự đánh giá")


class ReminderSent(models.Model):
    """One reminder e-mailed to one evaluator about one round on one day: a second run of
    the daily command on the same day finds it and sends nothing."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("đợt")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("thành viên đoàn kiểm tra"),
    )
    sent_on = models.DateField(_("ngày gửi"))
    pending = models.PositiveIntegerField(_("số mô hình chưa chấm"))
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["-sent_on", "round_id"]
        verbose_name = _("nhắc việc đã gửi")
        verbose_name_plural = pgettext_lazy("plural", "nhắc việc đã gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "evaluator", "sent_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.round} – {self.sent_on:%d/%m/%Y}"
