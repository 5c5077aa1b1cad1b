"""Every change to rubrics, rounds, assignments, scores and recognition decisions.

Round status changes go through ``round_transition`` only: it checks the table of allowed
moves and who may make them, and updates on condition of the status the caller saw.

Saving scores takes a shared lock on the round row (``FOR SHARE`` on PostgreSQL) for the
rest of its transaction; closing a round updates that row, so it waits for saves in
flight, and a save that starts after the close reads "closed" and is refused. Two
evaluators saving at once share the lock and write different rows. The first score of a
campaign locks its rubric in the same transaction, so a rubric edit and a first score
cannot both win either.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from danvan.accounts.models import User
from danvan.accounts.rules import is_evaluator, is_office, is_officer_of_unit, require
from danvan.accounts.selectors import unit_ids_in
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.text import model_phrase_read, nfc
from danvan.uploads import EVIDENCE_TYPES, check_uploads, store_uploads
from danvan.workflow import Move, Workflow, check_version
from evaluations import notifications, selectors
from evaluations.models import (
    Assignment,
    Criterion,
    Inspection,
    RatingBand,
    ReminderSent,
    Round,
    Rubric,
    Score,
    SelfAssessmentFile,
    SelfScore,
)
from evaluations.scoring import as_points, points_text, weighted_total
from evaluations.signals import evaluators_assigned, round_opened
from models_registry.models import Registration
from models_registry.services import registration_transition

Status = Round.Status

# A closed round stays closed.
WORKFLOW = Workflow(
    model=Round,
    name="round",
    moves=[
        Move(Status.PLANNED, Status.OPEN, is_office, gettext_lazy("Mở đợt chấm điểm")),
        Move(Status.OPEN, Status.CLOSED, is_office, gettext_lazy("Kết thúc đợt")),
    ],
    noun=gettext_lazy("đợt kiểm tra"),
    conflict=gettext_lazy("Đợt kiểm tra vừa được người khác cập nhật; hãy tải lại trang."),
)

# The model criteria of DESIGN.md §2 as a 100-point rubric (title, description, points).
DEFAULT_CRITERIA = (
    (
        "Tên gọi, địa bàn cụ thể",
        "Mô hình có tên gọi cụ thể, địa bàn và phạm vi thực hiện rõ ràng.",
        5,
    ),
    (
        "Thuộc một trong bốn lĩnh vực",
        "Kinh tế; văn hóa – xã hội; quốc phòng – an ninh; xây dựng hệ thống chính trị.",
        5,
    ),
    (
        "Có sự lãnh đạo của cấp ủy, chính quyền",
        "Cấp ủy, chính quyền lãnh đạo, chỉ đạo; có kế hoạch, phân công cụ thể.",
        10,
    ),
    (
        "Đăng ký với cơ quan phát động",
        "Mô hình được đăng ký đúng thời hạn với cơ quan phát động phong trào.",
        5,
    ),
    (
        "Huy động nhiều lực lượng tham gia",
        "Phát huy vai trò của Mặt trận, đoàn thể, lực lượng vũ trang và Nhân dân cùng thực hiện.",
        15,
    ),
    (
        "Hiệu quả thiết thực, có sức lan tỏa",
        "Kết quả đo đếm được so với mục tiêu đã đăng ký; được nơi khác học tập.",
        20,
    ),
    (
        "Được Nhân dân đồng tình, hưởng ứng",
        "Người dân tham gia, đóng góp công sức, kinh phí (xã hội hóa) và đánh giá tích cực.",
        15,
    ),
    (
        "Giải quyết vấn đề bức xúc, cấp bách ở địa phương",
        "Tập trung vào việc khó, việc mới, nhiệm vụ trọng tâm của địa phương.",
        15,
    ),
    (
        "Bền vững, có khả năng nhân rộng",
        "Duy trì thường xuyên, có điều kiện nhân rộng ra các địa bàn, đơn vị khác.",
        10,
    ),
)
# (name, lowest total, passing)
DEFAULT_BANDS = (
    ("Xuất sắc", 90, True),
    ("Tốt", 80, True),
    ("Khá", 65, True),
    ("Đạt", 50, True),
    ("Không đạt", 0, False),
)
ROUND_FIELDS = ("kind", "name", "starts_on", "ends_on")
IN_SCOPE = (Registration.Status.ACCEPTED,)


def locked_rubric_error() -> ValidationError:
    return ValidationError(
        _(
            "Thang điểm đã khóa vì đã có điểm chấm; không sửa được tiêu chí và mức xếp loại "
            "nữa. Những gì bạn vừa nhập chưa được lưu."
        ),
        code="locked",
    )


def closed_round_error(round_status: str) -> ValidationError:
    if round_status == Status.CLOSED:
        return ValidationError(
            _("Đợt kiểm tra đã kết thúc; không chấm hay sửa điểm được nữa."), code="closed"
        )
    return ValidationError(_("Đợt kiểm tra chưa mở; chưa chấm điểm được."), code="not_open")


# Rubric ----------------------------------------------------------------------------------


def rubric_default_unsaved(campaign: Campaign) -> Rubric:
    """The default rubric a campaign without one starts from, in memory only (version 0):
    the rubric page shows it, and it is stored by the first save or round."""
    rubric = Rubric(campaign=campaign, organization_id=campaign.organization_id, version=0)
    rubric.criterion_list = [
        Criterion(position=index, title=title, description=text, max_points=points)
        for index, (title, text, points) in enumerate(DEFAULT_CRITERIA, start=1)
    ]
    rubric.band_list = [
        RatingBand(name=name, min_score=minimum, passing=passing)
        for name, minimum, passing in sorted(DEFAULT_BANDS, key=lambda band: -band[1])
    ]
    return rubric


@transaction.atomic
def rubric_seed_default(*, actor: User, campaign: Campaign) -> Rubric:
    """The campaign's rubric, created with the default criteria (100 points) and bands
    if it has none yet. Office staff only; running it twice changes nothing."""
    require(is_office, actor, campaign)
    existing = Rubric.objects.filter(campaign=campaign).first()
    if existing is not None:
        return existing
    # Two first visits at once: the second waits here, then finds the first one's rubric.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    existing = Rubric.objects.filter(campaign=campaign).first()
    if existing is not None:
        return existing
    rubric = Rubric.objects.create(campaign=campaign, organization_id=campaign.organization_id)
    Criterion.objects.bulk_create(
        Criterion(rubric=rubric, position=index, title=title, description=text, max_points=points)
        for index, (title, text, points) in enumerate(DEFAULT_CRITERIA, start=1)
    )
    RatingBand.objects.bulk_create(
        RatingBand(rubric=rubric, name=name, min_score=minimum, passing=passing)
        for name, minimum, passing in DEFAULT_BANDS
    )
    audit_record(
        actor=actor,
        action="rubric.create",
        obj=rubric,
        note=_("Thang điểm mặc định: %(count)s tiêu chí, 100 điểm.")
        % {"count": len(DEFAULT_CRITERIA)},
    )
    return rubric


def _check_rubric(criteria: list[dict], bands: list[dict]) -> None:
    problems = []
    if not criteria:
        problems.append(_("Thang điểm cần ít nhất một tiêu chí."))
    if not bands:
        problems.append(_("Cần ít nhất một mức xếp loại."))
    names = [nfc(band["name"]).strip().casefold() for band in bands]
    if len(set(names)) != len(names):
        problems.append(_("Hai mức xếp loại trùng tên."))
    minimums = [Decimal(band["min_score"]) for band in bands]
    if len(set(minimums)) != len(minimums):
        problems.append(_("Hai mức xếp loại trùng điểm sàn."))
    if minimums and min(minimums) != 0:
        problems.append(
            _("Mức xếp loại thấp nhất phải bắt đầu từ 0 điểm, để mọi mô hình đều được xếp loại.")
        )
    if problems:
        raise ValidationError(problems, code="rubric")


@transaction.atomic
def rubric_update(
    *,
    actor: User,
    rubric: Rubric,
    criteria: list[dict],
    bands: list[dict],
    expected_version: int | None = None,
) -> Rubric:
    """Replace the rubric's criteria (in the given order) and bands.

    ``criteria`` items have ``title``, ``description``, ``max_points``, ``weight`` and, for
    an existing criterion, ``id``; ``bands`` items ``name``, ``min_score``, ``passing``.
    Refused once the rubric is locked (a score exists) or if someone saved it since
    ``expected_version``; all or nothing.
    """
    require(is_office, actor, rubric)
    rubric = Rubric.objects.select_for_update().select_related("campaign").get(pk=rubric.pk)
    if rubric.is_locked:
        raise locked_rubric_error()
    check_version(rubric, expected_version)
    _check_rubric(criteria, bands)
    before = _rubric_summary(rubric)
    existing = {criterion.pk: criterion for criterion in rubric.criteria.all()}
    kept = set()
    for position, data in enumerate(criteria, start=1):
        criterion = existing.get(data.get("id")) or Criterion(rubric=rubric)
        criterion.position = position
        criterion.title = nfc(data["title"]).strip()
        criterion.description = nfc(data.get("description") or "").strip()
        criterion.max_points = data["max_points"]
        criterion.weight = data.get("weight") or Decimal(1)
        criterion.full_clean(exclude=["rubric"])
        criterion.save()
        kept.add(criterion.pk)
    rubric.criteria.exclude(pk__in=kept).delete()
    rubric.bands.all().delete()
    for data in bands:
        band = RatingBand(
            rubric=rubric,
            name=nfc(data["name"]).strip(),
            min_score=data["min_score"],
            passing=bool(data.get("passing")),
        )
        band.full_clean(exclude=["rubric"], validate_constraints=False)
        band.save()
    Rubric.objects.filter(pk=rubric.pk).update(version=F("version") + 1)
    rubric.version += 1
    audit_record(
        actor=actor,
        action="rubric.update",
        obj=rubric,
        changes=changes_between(before, _rubric_summary(rubric)),
    )
    return rubric


def _rubric_summary(rubric: Rubric) -> dict:
    return {
        "criteria": [
            f"{c.title} ({c.max_points} × {c.weight})" for c in rubric.criteria.order_by("position")
        ],
        "bands": [f"{b.name} ≥ {b.min_score}" for b in rubric.bands.order_by("-min_score")],
    }


def _lock_rubric_for_scoring(campaign_id: int) -> list[Criterion]:
    """Lock the campaign's rubric (if not yet) and return its criteria, read after the
    lock so a rubric edit that committed meanwhile is seen."""
    Rubric.objects.filter(campaign_id=campaign_id, locked_at__isnull=True).update(
        locked_at=timezone.now()
    )
    return selectors.criteria_of(campaign_id)


# Rounds --------------------------------------------------------------------------------------


def default_round_name(kind: str, year: int) -> str:
    """ "Sơ kết giữa năm 2024", "Tổng kết cuối năm 2024", "Kiểm tra định kỳ năm 2024"."""
    label = str(Round.Kind(kind).label)
    return f"{label} {year}" if label.endswith(" năm") else f"{label} năm {year}"


def _default_scope(campaign_id: int):
    return Registration.objects.filter(campaign_id=campaign_id, status__in=IN_SCOPE)


@transaction.atomic
def round_create(*, actor: User, campaign: Campaign, data: dict) -> Round:
    """A planned round of the campaign covering every accepted registration. The
    campaign's default rubric is created with its first round if it has none."""
    require(is_office, actor, campaign)
    if campaign.status != Campaign.Status.ISSUED:
        raise ValidationError(
            _("Chỉ tạo đợt kiểm tra cho phong trào đã ban hành kế hoạch và chưa kết thúc."),
            code="campaign",
        )
    rubric_seed_default(actor=actor, campaign=campaign)
    round = Round(organization_id=campaign.organization_id, campaign=campaign, created_by=actor)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, nfc(data[name]) if isinstance(data[name], str) else data[name])
    round.full_clean()
    round.save()
    Inspection.objects.bulk_create(
        Inspection(round=round, registration=registration)
        for registration in _default_scope(campaign.pk).order_by("sequence")
    )
    audit_record(
        actor=actor,
        action="round.create",
        obj=round,
        changes=changes_between({}, snapshot(round, ROUND_FIELDS)),
    )
    return round


def _locked_round(round: Round) -> Round:
    return Round.objects.select_for_update().select_related("campaign").get(pk=round.pk)


@transaction.atomic
def round_update(*, actor: User, round: Round, data: dict, expected_version: int | None) -> Round:
    """Change a round's name, window and (while planned) kind; refused once closed."""
    require(is_office, actor, round)
    round = _locked_round(round)
    if round.is_closed:
        raise ValidationError(_("Đợt kiểm tra đã kết thúc; không sửa được nữa."), code="closed")
    check_version(round, expected_version)
    before = snapshot(round, ROUND_FIELDS)
    for name in ROUND_FIELDS:
        if name == "kind" and round.status != Status.PLANNED:
            continue
        if name in data:
            setattr(round, name, nfc(data[name]) if isinstance(data[name], str) else data[name])
    round.full_clean()
    changes = changes_between(before, snapshot(round, ROUND_FIELDS))
    round.version += 1
    round.save(update_fields=[*ROUND_FIELDS, "version"])
    if changes:
        audit_record(actor=actor, action="round.update", obj=round, changes=changes)
    return round


@transaction.atomic
def round_transition(*, actor: User, round: Round, to: str, note: str = "") -> Round:
    """Move a round to status ``to`` if the table allows it and the actor may.

    The update is conditional on the status the caller saw: of two simultaneous attempts
    exactly one succeeds. Closing waits for score saves in flight (they hold a shared
    lock on the row) and stores nothing derived: results are read from the scores.
    """
    source = round.status
    WORKFLOW.check(actor=actor, obj=round, to=to, source=source)
    if to == Status.OPEN and not selectors.criteria_of(round.campaign_id):
        raise ValidationError(
            _("Thang điểm chưa có tiêu chí; hãy soạn thang điểm trước khi mở đợt."),
            code="rubric",
        )
    now = timezone.now()
    updates = {"opened_at": now} if to == Status.OPEN else {"closed_at": now}
    round = WORKFLOW.move(actor=actor, obj=round, to=to, note=note, updates=updates, source=source)
    if to == Status.OPEN:
        round_opened.send(sender=Round, round=round)
    return round


@transaction.atomic
def round_open(*, actor: User, round: Round) -> Round:
    """Open a planned round for scoring (the dates are informational)."""
    return round_transition(actor=actor, round=_locked_round(round), to=Status.OPEN)


@transaction.atomic
def round_close(*, actor: User, round: Round) -> Round:
    """Close an open round: from then on it is read-only and its results are final."""
    return round_transition(actor=actor, round=_locked_round(round), to=Status.CLOSED)


def _require_changeable(round: Round) -> None:
    if round.is_closed:
        raise ValidationError(
            _("Đợt kiểm tra đã kết thúc; không thay đổi được nữa."), code="closed"
        )


@transaction.atomic
def round_scope_sync(*, actor: User, round: Round) -> int:
    """Add the campaign's accepted registrations not yet in the round; returns how many."""
    require(is_office, actor, round)
    round = _locked_round(round)
    _require_changeable(round)
    missing = _default_scope(round.campaign_id).exclude(inspections__round=round)
    added = Inspection.objects.bulk_create(
        Inspection(round=round, registration=registration)
        for registration in missing.order_by("sequence")
    )
    if added:
        audit_record(
            actor=actor,
            action="round.scope_add",
            obj=round,
            note=", ".join(inspection.registration.code for inspection in added),
        )
    return len(added)


@transaction.atomic
def inspection_remove(*, actor: User, inspection: Inspection) -> None:
    """Take a model out of a round, before anyone has scored it."""
    round = _locked_round(inspection.round)
    require(is_office, actor, round)
    _require_changeable(round)
    inspection = Inspection.objects.select_related("registration").get(pk=inspection.pk)
    if (
        inspection.self_submitted_at
        or Score.objects.filter(assignment__inspection=inspection).exists()
    ):
        raise ValidationError(
            _("Mô hình đã có điểm chấm hoặc tự đánh giá; không bỏ khỏi đợt được."), code="scored"
        )
    audit_record(
        actor=actor,
        action="round.scope_remove",
        obj=round,
        note=str(inspection.registration),
    )
    inspection.delete()


# Assignments ------------------------------------------------------------------------------


def conflict_message(evaluator: User, registration: Registration) -> str:
    return _(
        "Không phân công %(evaluator)s chấm %(model_phrase)s: mô hình do đơn vị của "
        "thành viên này chủ trì (%(unit)s)."
    ) % {
        "evaluator": evaluator.full_name,
        "model_phrase": model_phrase_read(registration.name),
        "unit": registration.unit,
    }


def has_conflict(evaluator: User, registration: Registration) -> bool:
    """An evaluator never scores a model led by a unit they belong to, in any role."""
    return registration.unit_id in unit_ids_in(evaluator, registration.organization_id)


def _check_evaluator(evaluator: User, round: Round) -> None:
    if not evaluator.is_active or not is_evaluator.test(evaluator, round):
        raise ValidationError(
            _("%(name)s không phải thành viên đoàn kiểm tra của tổ chức.")
            % {"name": evaluator.full_name},
            code="not_evaluator",
        )


@dataclass
class AssignmentReport:
    """What a bulk assignment did: pairs created, pairs already there, pairs refused."""

    created: list[Assignment] = field(default_factory=list)
    existing: int = 0
    conflicts: list[str] = field(default_factory=list)


@transaction.atomic
def assignments_create(
    *,
    actor: User,
    round: Round,
    inspections: Iterable[Inspection],
    evaluators: Iterable[User],
) -> AssignmentReport:
    """Assign every evaluator to every inspection given (in bulk: by unit, by field, or a
    selection). Pairs already assigned are left alone; an evaluator is never assigned to
    a model of their own unit: those pairs are skipped and reported, the rest saved."""
    round = _locked_round(round)
    require(is_office, actor, round)
    _require_changeable(round)
    evaluators = list(evaluators)
    for evaluator in evaluators:
        _check_evaluator(evaluator, round)
    inspections = list(
        Inspection.objects.filter(
            round=round, pk__in=[inspection.pk for inspection in inspections]
        ).select_related("registration__unit")
    )
    taken = set(
        Assignment.objects.filter(inspection__in=inspections).values_list(
            "inspection_id", "evaluator_id"
        )
    )
    report = AssignmentReport()
    new = []
    for inspection in inspections:
        for evaluator in evaluators:
            if (inspection.pk, evaluator.pk) in taken:
                report.existing += 1
            elif has_conflict(evaluator, inspection.registration):
                report.conflicts.append(conflict_message(evaluator, inspection.registration))
            else:
                new.append(
                    Assignment(inspection=inspection, evaluator=evaluator, assigned_by=actor)
                )
    report.created = Assignment.objects.bulk_create(new)
    if new:
        _recount({assignment.inspection_id for assignment in new})
        evaluators_assigned.send(sender=Round, round=round, assignments=report.created)
        audit_record(
            actor=actor,
            action="round.assign",
            obj=round,
            changes={
                "assignments": [
                    f"{a.inspection.registration.code} – {a.evaluator.full_name}" for a in new
                ]
            },
        )
    return report


def assignment_create(*, actor: User, inspection: Inspection, evaluator: User) -> Assignment:
    """Assign one evaluator to one model; a conflict of interest is refused with a
    clear message, an existing assignment returned as it is."""
    report = assignments_create(
        actor=actor, round=inspection.round, inspections=[inspection], evaluators=[evaluator]
    )
    if report.conflicts:
        raise ValidationError(report.conflicts[0], code="conflict")
    if report.created:
        return report.created[0]
    return Assignment.objects.get(inspection=inspection, evaluator=evaluator)


@transaction.atomic
def assignment_remove(*, actor: User, assignment: Assignment) -> None:
    """Withdraw an evaluator from a model they have not scored yet."""
    round = _locked_round(assignment.inspection.round)
    require(is_office, actor, round)
    _require_changeable(round)
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("evaluator", "inspection__registration")
        .get(pk=assignment.pk)
    )
    if assignment.is_scored:
        raise ValidationError(
            _("%(name)s đã chấm điểm mô hình này; không bỏ phân công được.")
            % {"name": assignment.evaluator.full_name},
            code="scored",
        )
    audit_record(
        actor=actor,
        action="round.unassign",
        obj=round,
        note=f"{assignment.inspection.registration.code} – {assignment.evaluator.full_name}",
    )
    assignment.delete()
    _recount([assignment.inspection_id])


def _lock_inspections(inspection_ids) -> None:
    """Lock the inspections' rows until the transaction ends (FOR NO KEY UPDATE: sheets
    may still be added to them meanwhile)."""
    locked = Inspection.objects.select_for_update(no_key=True).filter(pk__in=inspection_ids)
    list(locked.order_by("pk").values_list("pk", flat=True))


def _recount(inspection_ids) -> None:
    """Bring the inspections' counts and sum up to date with their assignments: their
    rows are locked first, so that the recount of a second evaluator saving at the same
    moment waits for the first and counts both."""
    _lock_inspections(inspection_ids)
    Inspection.objects.filter(pk__in=inspection_ids).refresh_results()


# Scores --------------------------------------------------------------------------------------


def _round_status_shared(round_id: int) -> str:
    """The round's status, with a shared lock on its row until the transaction ends.

    Django has no FOR SHARE; SQLite has one writer at a time and needs no row lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status FROM {Round._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
                [round_id],
            )
            return cursor.fetchone()[0]
    return Round.objects.values_list("status", flat=True).get(pk=round_id)


def points_field(criterion_id: int) -> str:
    """The form field (and error key) of a criterion's points."""
    return f"points_{criterion_id}"


def _checked_points(criteria: list[Criterion], points: dict[int, Decimal]) -> None:
    """Every criterion scored, each within 0 and its maximum; one error per wrong field."""
    if set(points) != {criterion.pk for criterion in criteria}:
        raise ValidationError(
            _(
                "Thang điểm vừa thay đổi; hãy tải lại trang rồi chấm lại. "
                "Điểm bạn vừa nhập chưa được lưu."
            ),
            code="criteria",
        )
    errors = {}
    for criterion in criteria:
        value = points[criterion.pk]
        if value is None:
            errors[points_field(criterion.pk)] = _("Hãy nhập điểm tiêu chí này.")
        elif not 0 <= value <= criterion.max_points:
            errors[points_field(criterion.pk)] = _(
                "Điểm phải từ 0 đến %(max)s (điểm tối đa của tiêu chí)."
            ) % {"max": _points_text(criterion.max_points)}
    if errors:
        raise ValidationError(errors, code="range")


def _points_text(value: Decimal) -> str:
    """ "10", "7,5", "87,25": as Vietnamese write numbers."""
    return points_text(value)


def _upsert(model, owner: dict, criteria, points, comments) -> dict:
    """Create or update one row per criterion; returns {criterion title: [old, new]}."""
    rows = {row.criterion_id: row for row in model.objects.filter(**owner)}
    changed, new, updated = {}, [], []
    for criterion in criteria:
        value = points[criterion.pk]
        comment = nfc((comments or {}).get(criterion.pk, "") or "").strip()
        row = rows.get(criterion.pk)
        if row is None:
            new.append(model(criterion=criterion, points=value, comment=comment, **owner))
            changed[criterion.title] = [None, str(value)]
        elif row.points != value or row.comment != comment:
            if row.points != value:
                changed[criterion.title] = [str(row.points), str(value)]
            row.points, row.comment = value, comment
            updated.append(row)
    model.objects.bulk_create(new)
    model.objects.bulk_update(updated, ["points", "comment"])
    return changed


def _total(criteria: list[Criterion], points: dict[int, Decimal]) -> int:
    return weighted_total((points[c.pk], c.max_points, c.weight) for c in criteria)


def _locked_sheet(actor: User, assignment: Assignment) -> Assignment:
    """The assignment, locked, if ``actor`` may write its sheet now: its own evaluator,
    still an evaluator and not of the model's unit, while the round is open."""
    status = _round_status_shared(assignment.inspection.round_id)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("inspection__round", "inspection__registration__unit")
        .get(pk=assignment.pk)
    )
    inspection = assignment.inspection
    registration = inspection.registration
    if assignment.evaluator_id != actor.pk or not is_evaluator.test(actor, inspection.round):
        raise PermissionDenied
    if has_conflict(actor, registration):
        raise ValidationError(conflict_message(actor, registration), code="conflict")
    if status != Status.OPEN:
        raise closed_round_error(status)
    return assignment


@transaction.atomic
def scores_save(
    *,
    actor: User,
    assignment: Assignment,
    points: dict[int, Decimal],
    comments: dict[int, str] | None = None,
    findings: str = "",
    inspected_on: date | None = None,
) -> Assignment:
    """Save an evaluator's points for every criterion of one model, with comments.

    Guarantees: only the assigned evaluator, still an evaluator and not of the model's
    unit, while the round is open; every criterion scored within 0 and its maximum (each
    wrong field named); all or nothing; the total (0–100, see ``scoring``) written with
    the points; one audit event.
    """
    assignment = _locked_sheet(actor, assignment)
    inspection = assignment.inspection
    # The inspection before the rubric, in the order the self-assessment takes them.
    _lock_inspections([inspection.pk])
    criteria = _lock_rubric_for_scoring(inspection.round.campaign_id)
    _checked_points(criteria, points)
    changes = _upsert(Score, {"assignment": assignment}, criteria, points, comments)
    total = _total(criteria, points)
    if assignment.total_hundredths != total:
        changes["total"] = [
            str(as_points(assignment.total_hundredths) or ""),
            str(as_points(total)),
        ]
    Assignment.objects.filter(pk=assignment.pk).update(
        total_hundredths=total,
        scored_at=timezone.now(),
        findings=nfc(findings or "").strip(),
        inspected_on=inspected_on,
        version=F("version") + 1,
        draft={},
    )
    Inspection.objects.filter(pk=inspection.pk).refresh_results()  # its row locked above
    assignment.refresh_from_db()
    audit_record(
        actor=actor,
        action="assignment.score",
        obj=assignment,
        organization=inspection.round.organization,
        changes=changes,
    )
    return assignment


# A half-filled form keeps no more of one box than the longest box of a full one would
# (the self-assessment's narrative).
DRAFT_TEXT_MAX = 20000


@transaction.atomic
def scores_draft_save(*, actor: User, assignment: Assignment, fields: dict[str, str]) -> Assignment:
    """Keep a score sheet half-filled, as typed, to finish later (on site, the evaluator
    may be called away before every criterion is scored).

    Guarantees: the same evaluator, round and conflict checks as ``scores_save``; nothing
    checked of the points themselves, and nothing counted: the sheet's scores, total and
    the model's results stay as they were until the sheet is saved in full (which clears
    the draft). One audit event.
    """
    assignment = _locked_sheet(actor, assignment)
    draft = _draft(fields)
    Assignment.objects.filter(pk=assignment.pk).update(draft=draft, version=F("version") + 1)
    assignment.refresh_from_db()
    audit_record(
        actor=actor,
        action="assignment.draft",
        obj=assignment,
        organization=assignment.inspection.round.organization,
        changes={"fields": [None, _typed(draft)]},
    )
    return assignment


def _draft(fields: dict[str, str]) -> dict:
    """A form kept half-filled: what was typed in each box (as typed, none checked; a box
    left empty too, so that reopening it does not bring back what was sent before), and
    when. Nothing typed keeps no draft: the form is simply not started."""
    kept = {name: nfc(str(text or ""))[:DRAFT_TEXT_MAX] for name, text in fields.items()}
    if not any(kept.values()):
        return {}
    return {"fields": kept, "saved_at": timezone.now().isoformat()}


def _typed(draft: dict) -> int:
    """How many boxes of a draft hold something."""
    return sum(1 for text in draft.get("fields", {}).values() if text)


@transaction.atomic
def self_assessment_save(
    *,
    actor: User,
    inspection: Inspection,
    points: dict[int, Decimal],
    comments: dict[int, str] | None = None,
    narrative: str = "",
    evidence: str = "",
    files: Iterable = (),
) -> Inspection:
    """The lead unit's self-assessment of its model in an open round: points for every
    criterion, a narrative, evidence (text and files). Only the unit's officers. Sending
    it discards the unit's draft."""
    inspection = _locked_self_assessment(actor, inspection)
    criteria = _lock_rubric_for_scoring(inspection.round.campaign_id)
    _checked_points(criteria, points)
    checked = check_uploads(
        files, allowed=EVIDENCE_TYPES, max_bytes=settings.EVIDENCE_MAX_FILE_MB * 1024 * 1024
    )
    changes = _upsert(SelfScore, {"inspection": inspection}, criteria, points, comments)
    inspection.self_total_hundredths = _total(criteria, points)
    inspection.self_narrative = nfc(narrative or "").strip()
    inspection.self_evidence = nfc(evidence or "").strip()
    inspection.self_submitted_at = timezone.now()
    inspection.self_submitted_by = actor
    inspection.self_draft = {}
    inspection.save(
        update_fields=[
            "self_total_hundredths",
            "self_narrative",
            "self_evidence",
            "self_submitted_at",
            "self_submitted_by",
            "self_draft",
        ]
    )
    store_uploads(checked, model=SelfAssessmentFile, uploaded_by=actor, inspection=inspection)
    audit_record(
        actor=actor,
        action="inspection.self_assess",
        obj=inspection,
        organization=inspection.round.organization,
        changes=changes,
        note=_("%(count)s tệp minh chứng") % {"count": len(checked)} if checked else "",
    )
    return inspection


@transaction.atomic
def self_assessment_draft_save(
    *, actor: User, inspection: Inspection, fields: dict[str, str]
) -> Inspection:
    """Keep the unit's self-assessment half-written, as typed, to finish later (the
    narrative takes time; a phone's page may be closed). The same unit and round checks
    as ``self_assessment_save``; nothing checked of the points, nothing counted and
    nothing shown to the evaluators: what the unit sent before stays as it was until it
    sends again. Files are attached only when it sends. One audit event."""
    inspection = _locked_self_assessment(actor, inspection)
    draft = _draft(fields)
    Inspection.objects.filter(pk=inspection.pk).update(self_draft=draft)
    inspection.self_draft = draft
    audit_record(
        actor=actor,
        action="inspection.self_draft",
        obj=inspection,
        organization=inspection.round.organization,
        changes={"fields": [None, _typed(draft)]},
    )
    return inspection


def _locked_self_assessment(actor: User, inspection: Inspection) -> Inspection:
    """The inspection, locked, if ``actor`` may write its self-assessment now: an officer
    of the model's unit, while the round is open."""
    status = _round_status_shared(inspection.round_id)
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("round__organization", "registration")
        .get(pk=inspection.pk)
    )
    require(is_officer_of_unit, actor, inspection.registration)
    if status != Status.OPEN:
        raise closed_round_error(status)
    return inspection


# Reminders ---------------------------------------------------------------------------------


def reminder_days() -> int:
    return int(getattr(settings, "EVALUATION_REMINDER_DAYS", 3))


def reminders_send(*, today: date | None = None, days: int | None = None) -> int:
    """E-mail each evaluator with unscored models in an open round that closes within
    ``days`` days (or is overdue), at most once a day per evaluator and round.

    Each reminder is recorded before its e-mail goes out (after commit), so a second run
    on the same day sends nothing. Returns how many reminders were sent.
    """
    today = today or timezone.localdate()
    days = reminder_days() if days is None else days
    pending = (
        selectors.held_by_evaluators(
            Assignment.objects.filter(
                scored_at__isnull=True,
                inspection__round__status=Status.OPEN,
                inspection__round__ends_on__lte=today + timedelta(days=days),
                evaluator__is_active=True,
            )
        )
        .exclude(evaluator__email="")
        .values("inspection__round_id", "evaluator_id")
        .annotate(pending=Count("pk"))
        .order_by("inspection__round_id", "evaluator_id")
    )
    sent = 0
    for row in pending:  # one row per evaluator and round
        with transaction.atomic():
            reminder, created = ReminderSent.objects.get_or_create(
                round_id=row["inspection__round_id"],
                evaluator_id=row["evaluator_id"],
                sent_on=today,
                defaults={"pending": row["pending"]},
            )
            if not created:
                continue
            audit_record(
                actor=None,
                action="round.remind",
                obj=reminder.round,
                note=_("Nhắc %(name)s: %(count)s mô hình chưa chấm.")
                % {"name": reminder.evaluator.full_name, "count": row["pending"]},
            )
            transaction.on_commit(partial(notifications.reminder, reminder.pk))
        sent += 1
    return sent


# Year-end recognition -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecognitionDecision:
    registration_id: int
    recognise: bool
    reason: str = ""


def _suggestion_note(row, year_end: Round) -> str:
    if row.band is None:
        return _("Chưa có kết quả chấm điểm ở đợt %(round)s.") % {"round": year_end.name}
    return _("Xếp loại %(band)s (%(total)s điểm) ở đợt %(round)s.") % {
        "band": row.band.name,
        "total": _points_text(row.mean),
        "round": year_end.name,
    }


@transaction.atomic
def recognition_decide(
    *, actor: User, campaign: Campaign, decisions: Iterable[RecognitionDecision]
) -> int:
    """Mark accepted registrations recognised or not recognised after the year-end round
    has closed, each through ``registration_transition``.

    A decision that differs from the suggestion (recognised for a passing rating) needs
    a reason; the reason recorded is the given one, or the rating the suggestion came
    from. All or nothing: one wrong decision and none is saved. Returns how many moved.
    """
    require(is_office, actor, campaign)
    year_end = selectors.year_end_round(campaign=campaign)
    if year_end is None or year_end.status != Status.CLOSED:
        raise ValidationError(
            _("Chỉ xét công nhận sau khi đợt tổng kết cuối năm đã kết thúc."), code="not_closed"
        )
    rows = {
        row.registration.pk: row
        for row in selectors.recognition_rows(campaign=campaign, year_end=year_end)
    }
    problems, moves = [], []
    for decision in decisions:
        row = rows.get(decision.registration_id)
        if row is None:
            problems.append(
                _("Mô hình (mã nội bộ %(id)s) không còn chờ xét công nhận.")
                % {"id": decision.registration_id}
            )
            continue
        reason = nfc(decision.reason or "").strip()
        if decision.recognise != row.suggest_recognised and not reason:
            problems.append(
                _("%(code)s: quyết định khác đề xuất theo xếp loại; hãy ghi lý do.")
                % {"code": row.registration.code}
            )
            continue
        note = _suggestion_note(row, year_end)
        moves.append(
            (row.registration, decision.recognise, f"{reason} ({note})" if reason else note)
        )
    if problems:
        raise ValidationError(problems, code="decisions")
    for registration, recognise, reason in moves:
        registration_transition(
            actor=actor,
            registration=registration,
            to=Registration.Status.RECOGNISED if recognise else Registration.Status.NOT_RECOGNISED,
            reason=reason,
        )
    return len(moves)
