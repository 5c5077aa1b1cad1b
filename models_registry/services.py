"""Every change to registrations of models, their reports, evidence and comments.

Status changes go through ``registration_transition`` only: it checks the table of allowed
moves and who may make them, and updates on condition of the status the caller saw, so
of two simultaneous clicks exactly one wins.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from campaigns.models import Campaign
from danvan.accounts.models import Organization, Unit, User
from danvan.accounts.rules import acts_for_unit, is_office, is_officer_of_unit, require
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.text import fold, nfc
from danvan.uploads import EVIDENCE_TYPES, check_uploads, store_uploads
from danvan.workflow import Move, StaleEdit, Workflow, check_version
from models_registry import selectors
from models_registry.models import (
    Comment,
    Evidence,
    FormQuestion,
    LateException,
    LateRequest,
    Milestone,
    Partner,
    ProgressReport,
    Registration,
)
from models_registry.questions import (
    COLUMN_KEYS,
    EXTRA_KINDS,
    OWNER_COLUMNS,
    STANDARD_BY_KEY,
    default_questions,
    missing,
    search_words,
)
from models_registry.rules import is_editable, takes_evidence, takes_reports
from models_registry.signals import (
    comment_posted,
    late_request_decided,
    late_requested,
    registration_moved,
)

Status = Registration.Status

# The lead unit's officers submit and withdraw (the office, for a unit with no officer);
# the organisation's office decides.
WORKFLOW = Workflow(
    model=Registration,
    name="registration",
    moves=[
        Move(Status.DRAFT, Status.SUBMITTED, acts_for_unit, gettext_lazy("Gửi đăng ký")),
        Move(Status.RETURNED, Status.SUBMITTED, acts_for_unit, gettext_lazy("Gửi đăng ký")),
        Move(Status.SUBMITTED, Status.ACCEPTED, is_office, gettext_lazy("Chấp nhận")),
        Move(
            Status.SUBMITTED,
            Status.RETURNED,
            is_office,
            pgettext_lazy("action", "Trả lại để bổ sung"),
            needs_reason=True,
        ),
        Move(
            Status.SUBMITTED,
            Status.REJECTED,
            is_office,
            pgettext_lazy("action", "Không chấp nhận"),
            needs_reason=True,
        ),
        Move(
            Status.ACCEPTED,
            Status.WITHDRAWN,
            acts_for_unit,
            gettext_lazy("Rút mô hình"),
            needs_reason=True,
        ),
        # Recognition is decided after the year-end round (evaluations.recognition_decide).
        Move(Status.ACCEPTED, Status.RECOGNISED, is_office),
        Move(Status.ACCEPTED, Status.NOT_RECOGNISED, is_office),
        Move(
            Status.RECOGNISED, Status.REPLICATED, is_office, gettext_lazy("Đánh dấu đã nhân rộng")
        ),
    ],
    noun=gettext_lazy("mô hình"),
    conflict=gettext_lazy(
        "Mô hình vừa được người khác xử lý; hãy tải lại trang để xem trạng thái mới."
    ),
)
DECIDED_BY_OFFICE = frozenset(
    {
        Status.ACCEPTED,
        Status.RETURNED,
        Status.REJECTED,
        Status.RECOGNISED,
        Status.NOT_RECOGNISED,
        Status.REPLICATED,
    }
)

# The columns a registration's form writes (see ``questions``), and its added answers.
REGISTRATION_FIELDS = (*COLUMN_KEYS, *OWNER_COLUMNS, "answers")
# A question left blank stores "" in a text column and 0 in a number column.
_BLANK = {
    name: ""
    if Registration._meta.get_field(name).get_internal_type() in ("CharField", "TextField")
    else 0
    for name in (*COLUMN_KEYS, *OWNER_COLUMNS)
    if not Registration._meta.get_field(name).null
}


def _search_text(registration: Registration) -> str:
    return fold(search_words(registration))


def _apply(registration: Registration, data: dict) -> None:
    """Write the answers ``data`` gives; questions the form did not ask keep theirs."""
    for name in REGISTRATION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "answers":
            answers = dict(registration.answers or {})
            answers.update(
                {key: nfc(v) if isinstance(v, str) else v for key, v in (value or {}).items()}
            )
            value = {key: v for key, v in answers.items() if v not in (None, "")}
        elif isinstance(value, str):
            value = nfc(value)
        elif value is None and name in _BLANK:
            value = _BLANK[name]
        setattr(registration, name, value)
    registration.search_text = _search_text(registration)


def registration_window_open(*, campaign: Campaign, unit: Unit, today: date | None = None) -> bool:
    """Whether ``unit`` may submit now: inside the campaign's registration window, or
    before the expiry of a late-submission exception granted to it."""
    today = today or timezone.localdate()
    if campaign.status != Campaign.Status.ISSUED:
        return False
    if campaign.registration_opens <= today <= campaign.registration_deadline:
        return True
    if today > campaign.year_end_review_starts:  # an extension never reaches past it
        return False
    return LateException.objects.filter(
        campaign=campaign, unit=unit, expires_on__gte=today
    ).exists()


def _extension_day_problem(campaign: Campaign, day: date) -> str:
    """Why ``day`` cannot end a registration extension of ``campaign``, or "": it must be
    today or later, and no later than the start of the year-end review (a model
    registered after it could not be reviewed that year)."""
    if day < timezone.localdate():
        return _("Ngày gia hạn phải từ hôm nay trở đi.")
    if day > campaign.year_end_review_starts:
        return _(
            "Ngày gia hạn không được sau ngày %(day)s, ngày bắt đầu tổng kết cuối năm của "
            "phong trào."
        ) % {"day": campaign.year_end_review_starts.strftime("%d/%m/%Y")}
    return ""


def _replace_children(registration, partners, milestones) -> None:
    if partners is not None:
        registration.partners.all().delete()
        Partner.objects.bulk_create(
            Partner(registration=registration, position=index, **partner)
            for index, partner in enumerate(partners)
        )
    if milestones is not None:
        registration.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(registration=registration, **milestone) for milestone in milestones
        )


def _check_own_parts(organization: Organization, data: dict, partners) -> None:
    """The field and the partner units must be the organisation's own."""
    field = data.get("field")
    if field is not None and field.organization_id != organization.pk:
        raise ValidationError({"field": _("Lĩnh vực không thuộc tổ chức.")})
    for partner in partners or ():
        unit = partner.get("unit")
        if unit is not None and unit.organization_id != organization.pk:
            raise ValidationError({"partners": _("Đơn vị phối hợp phải thuộc tổ chức.")})


def _year_of(campaign: Campaign):
    """The organisation's yearly campaigns of ``campaign``'s year (a regular one and any
    thematic one), and ``campaign`` itself: their models are numbered in one series."""
    return Campaign.objects.filter(
        Q(kind=Campaign.Kind.YEARLY, year=campaign.year) | Q(pk=campaign.pk),
        organization_id=campaign.organization_id,
    )


def _lock_year(campaign: Campaign) -> Campaign:
    """``campaign``, locked with the other campaigns of its year, always in the same
    order, so that two registrations in two campaigns of one year wait for each other
    instead of taking the same number (or deadlocking)."""
    locked = (
        _year_of(campaign)
        .select_for_update(of=("self",))
        .select_related("organization")
        .order_by("pk")
    )
    return next(each for each in locked if each.pk == campaign.pk)


def _next_number(campaign: Campaign) -> tuple[int, str]:
    """The sequence and code (DVK-2024-007) of the next model of ``campaign``: the code
    names the year, so one year's campaigns number their models in one series."""
    last = (
        Registration.objects.filter(campaign__in=_year_of(campaign)).aggregate(
            last=Max("sequence")
        )["last"]
        or 0
    )
    return last + 1, f"DVK-{campaign.year}-{last + 1:03d}"


@transaction.atomic
def registration_create(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    data: dict,
    partners: list[dict] | None = None,
    milestones: list[dict] | None = None,
    at: datetime | None = None,
) -> Registration:
    """A draft registration of ``unit``'s model, with the next code of the campaign
    (DVK-2024-007). Only the unit's own officers register its models, while the campaign
    is issued."""
    campaign = _lock_year(campaign)
    if unit.organization_id != campaign.organization_id:
        raise PermissionDenied
    require(acts_for_unit, actor, unit)
    if campaign.status != Campaign.Status.ISSUED:
        raise ValidationError(
            _("Phong trào chưa ban hành kế hoạch hoặc đã kết thúc; chưa đăng ký được.")
        )
    if campaign.is_stage:
        raise ValidationError(
            _("Mô hình đăng ký theo phong trào từng năm, không theo cả giai đoạn.")
        )
    if not unit.is_active:
        raise ValidationError(_("Đơn vị đã ngừng hoạt động."))
    _check_own_parts(campaign.organization, data, partners)
    sequence, code = _next_number(campaign)
    registration = Registration(
        campaign=campaign,
        organization=campaign.organization,
        unit=unit,
        sequence=sequence,
        code=code,
        created_by=actor,
        on_behalf=not is_officer_of_unit.test(actor, unit),
        **({"created_at": at} if at is not None else {}),
    )
    _apply(registration, data)
    registration.full_clean()
    registration.save()
    _replace_children(registration, partners, milestones)
    audit_record(
        actor=actor,
        action="registration.create",
        obj=registration,
        changes=changes_between({}, snapshot(registration, REGISTRATION_FIELDS)),
        at=at,
    )
    return registration


@transaction.atomic
def registration_update(
    *,
    actor: User,
    registration: Registration,
    data: dict,
    expected_version: int | None,
    partners: list[dict] | None = None,
    milestones: list[dict] | None = None,
) -> Registration:
    """Change a draft or returned registration; only its unit's officers may. A change
    made on an older version than the stored one is refused (StaleEdit), not merged."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(acts_for_unit, actor, registration)
    if not registration.is_editable:
        raise ValidationError(
            _("Mô hình đã gửi; chỉ sửa được khi còn là bản nháp hoặc bị trả lại.")
        )
    check_version(registration, expected_version)
    _check_own_parts(registration.organization, data, partners)
    before = snapshot(registration, REGISTRATION_FIELDS)
    _apply(registration, data)
    registration.full_clean()
    registration.version += 1
    registration.save()
    _replace_children(registration, partners, milestones)
    changes = changes_between(before, snapshot(registration, REGISTRATION_FIELDS))
    audit_record(actor=actor, action="registration.update", obj=registration, changes=changes)
    return registration


@transaction.atomic
def registration_transition(
    *,
    actor: User,
    registration: Registration,
    to: str,
    reason: str = "",
    at: datetime | None = None,
) -> Registration:
    """Move a registration to status ``to``.

    Guarantees: the move is in the table and made by whom it allows; returning,
    rejecting and withdrawing carry a reason; a first submission happens inside the
    registration window or the unit's late exception; the update is conditional on the
    status the caller saw, so a concurrent move makes this one fail with a clear message
    and change nothing; one audit event; e-mail goes out after commit. ``at`` records a
    move made earlier (loading a past year); by default it is now.
    """
    source = registration.status
    WORKFLOW.check(actor=actor, obj=registration, to=to, reason=reason, source=source)
    now = at or timezone.now()
    updates = {"status_reason": reason.strip(), "updated_at": now}
    if to == Status.SUBMITTED:
        unanswered = missing(registration)
        if unanswered:
            raise ValidationError(
                _("Phiếu đăng ký còn thiếu: %(questions)s. Hãy bổ sung rồi gửi.")
                % {"questions": ", ".join(question.label for question in unanswered)},
                code="incomplete",
            )
        if source == Status.DRAFT and not registration_window_open(
            campaign=registration.campaign, unit=registration.unit, today=timezone.localdate(now)
        ):
            raise ValidationError(
                _("Đã hết hạn đăng ký mô hình. Hãy đề nghị Văn phòng cho gia hạn."), code="closed"
            )
        updates["submitted_at"] = now
    elif to in DECIDED_BY_OFFICE:
        updates["decided_at"] = now
    if to == Status.RECOGNISED and not registration.recognition_level:
        updates["recognition_level"] = Registration.Level.WARD  # recognised by the ward
    elif to == Status.NOT_RECOGNISED:
        updates["recognition_level"] = Registration.Level.NONE
    WORKFLOW.move(
        actor=actor,
        obj=registration,
        to=to,
        reason=reason,
        updates=updates,
        at=at,
        source=source,
    )
    registration.refresh_from_db()
    if at is None:  # a move of the past, being recorded now, is news to nobody
        registration_moved.send(sender=Registration, registration=registration, actor=actor)
    return registration


@transaction.atomic
def late_exception_grant(
    *, actor: User, campaign: Campaign, unit: Unit, expires_on: date, reason: str = ""
) -> LateException:
    """Let ``unit`` submit after the deadline until ``expires_on`` (replacing an earlier grant)."""
    require(is_office, actor, campaign)
    if unit.organization_id != campaign.organization_id:
        raise PermissionDenied
    if problem := _extension_day_problem(campaign, expires_on):
        raise ValidationError({"expires_on": problem})
    exception, created = LateException.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"expires_on": expires_on, "reason": reason, "granted_by": actor},
    )
    audit_record(
        actor=actor,
        action="registration.late_exception",
        obj=exception,
        organization=campaign.organization,
        changes={"expires_on": [None, expires_on.isoformat()]},
        note=reason,
    )
    return exception


# Late-submission requests ------------------------------------------------------------

LateStatus = LateRequest.Status
# The unit asks (``late_request_create``); the organisation's office decides.
LATE_WORKFLOW = Workflow(
    model=LateRequest,
    name="late_request",
    moves=[
        Move(LateStatus.PENDING, LateStatus.GRANTED, is_office),
        Move(LateStatus.PENDING, LateStatus.REFUSED, is_office, needs_reason=True),
    ],
    noun=gettext_lazy("đề nghị gia hạn"),
    conflict=gettext_lazy(
        "Đề nghị gia hạn vừa được người khác xử lý; hãy tải lại trang để xem kết quả."
    ),
)


def late_request_refusal(*, campaign: Campaign, unit: Unit, today: date | None = None) -> str:
    """Why ``unit`` may not ask for more time on ``campaign`` today ("" if it may): the
    campaign must be an issued yearly one whose registration deadline has passed, and the
    unit must hold no running exception and no pending request."""
    today = today or timezone.localdate()
    if not campaign.past_registration_deadline(today):
        if campaign.status != Campaign.Status.ISSUED or campaign.is_stage:
            return _("Phong trào không nhận đăng ký mô hình; không đề nghị gia hạn được.")
        if today <= campaign.registration_deadline:
            return _("Hạn đăng ký mô hình chưa hết (đến hết ngày %(date)s); chưa cần gia hạn.") % {
                "date": campaign.registration_deadline.strftime("%d/%m/%Y")
            }
        return _("Năm thi đua đã tổng kết; không đề nghị gia hạn được nữa.")
    if not unit.is_active:
        return _("Đơn vị đã ngừng hoạt động.")
    running = (
        LateException.objects.filter(campaign=campaign, unit=unit, expires_on__gte=today)
        .values_list("expires_on", flat=True)
        .first()
    )
    if running is not None:
        return _("Đơn vị đã được gia hạn đăng ký đến hết ngày %(date)s.") % {
            "date": running.strftime("%d/%m/%Y")
        }
    if LateRequest.objects.filter(campaign=campaign, unit=unit, status=LateStatus.PENDING).exists():
        return _("Đơn vị đã có đề nghị gia hạn đang chờ Văn phòng xem xét.")
    return ""


@transaction.atomic
def late_request_create(
    *, actor: User, campaign: Campaign, unit: Unit, reason: str, wished_until: date
) -> LateRequest:
    """A unit officer asks the office to let their unit submit registrations after the
    deadline, until ``wished_until``.

    Guarantees: only an officer of ``unit`` asks, for a campaign of the unit's
    organisation; the campaign is issued and its registration deadline has passed; the
    unit holds no running exception and no other pending request (the campaign's row is
    locked, and the database allows one pending request per unit and campaign, so two
    clicks make one request); a reason is given and the wished day is not past. One audit
    event; the office is notified (``late_requested``)."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=campaign.pk)
    )
    if unit.organization_id != campaign.organization_id:
        raise PermissionDenied
    require(is_officer_of_unit, actor, unit)
    refusal = late_request_refusal(campaign=campaign, unit=unit)
    if refusal:
        raise ValidationError(refusal, code="closed")
    reason = nfc(reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Hãy ghi lý do đơn vị cần gia hạn.")
    if problem := _extension_day_problem(campaign, wished_until):
        errors["wished_until"] = problem
    if errors:
        raise ValidationError(errors)
    late_request = LateRequest.objects.create(
        campaign=campaign,
        organization=campaign.organization,
        unit=unit,
        requested_by=actor,
        reason=reason,
        wished_until=wished_until,
    )
    audit_record(
        actor=actor,
        action="late_request.create",
        obj=late_request,
        changes={"wished_until": [None, wished_until.isoformat()]},
        note=reason[:500],
    )
    late_requested.send(sender=LateRequest, late_request=late_request, actor=actor)
    return late_request


def _pending_late_request(late_request: LateRequest) -> LateRequest:
    """The request, locked; a request someone already decided is refused clearly."""
    locked = (
        LateRequest.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "organization")
        .get(pk=late_request.pk)
    )
    if locked.status != LateStatus.PENDING:
        raise ValidationError(
            _("Đề nghị gia hạn này đã được xử lý (%(status)s).")
            % {"status": locked.get_status_display()},
            code="conflict",
        )
    return locked


@transaction.atomic
def late_request_grant(
    *, actor: User, late_request: LateRequest, expires_on: date | None = None, note: str = ""
) -> LateRequest:
    """Grant a pending request: the unit may submit until ``expires_on`` (by default the
    day it wished), through ``late_exception_grant`` (which replaces an earlier exception).

    Guarantees: office staff of the request's organisation only; the request is locked
    and must still be pending, and the status moves on condition of it, so two clicks
    make one grant; the exception and the decision commit together. Audit events for the
    decision and the exception; the requesting officer is notified
    (``late_request_decided``)."""
    require(is_office, actor, late_request)
    late_request = _pending_late_request(late_request)
    expires_on = expires_on or late_request.wished_until
    note = nfc(note or "").strip()
    late_exception_grant(
        actor=actor,
        campaign=late_request.campaign,
        unit=late_request.unit,
        expires_on=expires_on,
        reason=(note or late_request.reason)[:300],
    )
    LATE_WORKFLOW.move(
        actor=actor,
        obj=late_request,
        to=LateStatus.GRANTED,
        updates={
            "decided_by": actor,
            "decided_at": timezone.now(),
            "granted_until": expires_on,
        },
        note=_("Cho gửi đến hết ngày %(date)s.") % {"date": expires_on.strftime("%d/%m/%Y")},
        source=LateStatus.PENDING,
    )
    late_request_decided.send(sender=LateRequest, late_request=late_request, actor=actor)
    return late_request


@transaction.atomic
def late_grant(
    *, actor: User, campaign: Campaign, unit: Unit, expires_on: date, reason: str = ""
) -> LateException:
    """The office's own grant from the late page. When the unit has a request waiting,
    the grant answers it (granted until ``expires_on``, the officer told) instead of
    leaving it pending beside an extension already given."""
    pending = (
        LateRequest.objects.filter(campaign=campaign, unit=unit, status=LateStatus.PENDING)
        .order_by("pk")
        .first()
    )
    if pending is None:
        return late_exception_grant(
            actor=actor, campaign=campaign, unit=unit, expires_on=expires_on, reason=reason
        )
    late_request_grant(actor=actor, late_request=pending, expires_on=expires_on, note=reason)
    return LateException.objects.get(campaign=campaign, unit=unit)


@transaction.atomic
def late_request_refuse(*, actor: User, late_request: LateRequest, reason: str) -> LateRequest:
    """Refuse a pending request, saying why.

    Guarantees: office staff of the request's organisation only; a reason is required;
    the request is locked and must still be pending, and the status moves on condition
    of it, so two clicks make one refusal. One audit event; the requesting officer is
    notified (``late_request_decided``)."""
    require(is_office, actor, late_request)
    late_request = _pending_late_request(late_request)
    reason = nfc(reason or "").strip()
    LATE_WORKFLOW.move(
        actor=actor,
        obj=late_request,
        to=LateStatus.REFUSED,
        reason=reason,
        updates={
            "decided_by": actor,
            "decided_at": timezone.now(),
            "refusal_reason": reason,
        },
        source=LateStatus.PENDING,
    )
    late_request_decided.send(sender=LateRequest, late_request=late_request, actor=actor)
    return late_request


def _evidence_limits() -> tuple[int, int]:
    return settings.EVIDENCE_MAX_FILE_MB * 1024 * 1024, settings.EVIDENCE_MAX_TOTAL_MB * 1024 * 1024


def evidence_check(*, registration: Registration, files: Iterable) -> list:
    """Check files before anything is saved: type from content, size per file, and the
    registration's total; raise one ValidationError listing every problem."""
    per_file, total_limit = _evidence_limits()
    try:
        checked, problems = check_uploads(files, allowed=EVIDENCE_TYPES, max_bytes=per_file), []
    except ValidationError as error:
        checked, problems = [], error.message_dict["files"]
    used = (
        Evidence.objects.filter(registration=registration).aggregate(total=Sum("size"))["total"]
        or 0
    )
    if used + sum(item.size for item in checked) > total_limit:
        problems.append(
            _("Tổng dung lượng minh chứng của mô hình sẽ vượt %(limit)s MB; hãy bớt hoặc nén tệp.")
            % {"limit": settings.EVIDENCE_MAX_TOTAL_MB}
        )
    if problems:
        raise ValidationError({"files": problems})
    return checked


def _store_evidence(*, actor, registration, checked, report=None) -> list[Evidence]:
    return store_uploads(
        checked, model=Evidence, uploaded_by=actor, registration=registration, report=report
    )


RECOGNISED_STATUSES = frozenset({Status.RECOGNISED, Status.REPLICATED})
LAUNCHED_STATUSES = frozenset({Status.ACCEPTED, Status.RECOGNISED, Status.REPLICATED})


@transaction.atomic
def registration_set_level(
    *, actor: User, registration: Registration, level: str, note: str = ""
) -> Registration:
    """Record how far a recognised model went: recognised by the ward, proposed to the
    province, recognised by the province. Office staff only; one audit event."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(is_office, actor, registration)
    if registration.status not in RECOGNISED_STATUSES:
        raise ValidationError({"level": _("Chỉ ghi cấp công nhận cho mô hình đã được công nhận.")})
    if level not in Registration.Level.values or not level:
        raise ValidationError({"level": _("Hãy chọn cấp công nhận.")})
    if level == registration.recognition_level:
        return registration
    before = registration.recognition_level
    registration.recognition_level = level
    registration.save(update_fields=["recognition_level", "updated_at"])
    audit_record(
        actor=actor,
        action="registration.level",
        obj=registration,
        changes={"recognition_level": [before, level]},
        note=" ".join(
            part for part in (str(Registration.Level(level).label) + ".", nfc(note).strip()) if part
        ),
    )
    return registration


@transaction.atomic
def registration_launch(
    *, actor: User, registration: Registration, launched_on: date, note: str = ""
) -> Registration:
    """Record the launch (ra mắt) of an accepted model on ``launched_on``: by its unit, or
    the office. A launch cannot be in the future; recording it again moves the date."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(acts_for_unit | is_office, actor, registration)
    if registration.status not in LAUNCHED_STATUSES:
        raise ValidationError(
            {"launched_on": _("Chỉ ghi ngày ra mắt cho mô hình đã được chấp nhận.")}
        )
    if launched_on > timezone.localdate():
        raise ValidationError({"launched_on": _("Ngày ra mắt không được sau hôm nay.")})
    before = registration.launched_on
    registration.launched_on = launched_on
    registration.save(update_fields=["launched_on", "updated_at"])
    audit_record(
        actor=actor,
        action="registration.launch",
        obj=registration,
        changes={"launched_on": [before.isoformat() if before else None, launched_on.isoformat()]},
        note=" ".join(
            part
            for part in (
                _("Ra mắt mô hình ngày %(date)s.") % {"date": launched_on.strftime("%d/%m/%Y")},
                nfc(note).strip(),
            )
            if part
        ),
    )
    return registration


@transaction.atomic
def evidence_add(*, actor: User, registration: Registration, files: list) -> list[Evidence]:
    """Attach files to a registration (its unit's officers, while it can still change or
    once accepted). All files are checked first; none is kept if one is refused."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(acts_for_unit, actor, registration)
    if not takes_evidence.test(actor, registration):
        raise ValidationError(_("Không đính kèm thêm được ở trạng thái này."))
    checked = evidence_check(registration=registration, files=files)
    stored = _store_evidence(actor=actor, registration=registration, checked=checked)
    for evidence in stored:
        audit_record(
            actor=actor, action="evidence.add", obj=evidence, organization=registration.organization
        )
    return stored


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    registration = Registration.objects.select_for_update().get(pk=evidence.registration_id)
    require(acts_for_unit & is_editable, actor, registration)
    audit_record(
        actor=actor, action="evidence.delete", obj=evidence, organization=registration.organization
    )
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def progress_report_add(
    *, actor: User, registration: Registration, data: dict, files: list, at: datetime | None = None
) -> ProgressReport:
    """A progress update on an accepted model, by its unit, with optional evidence files."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    require(acts_for_unit, actor, registration)
    if not takes_reports.test(actor, registration):
        raise ValidationError(_("Chỉ báo cáo tiến độ được cho mô hình đã được chấp nhận."))
    checked = evidence_check(registration=registration, files=files)
    report = ProgressReport(
        registration=registration,
        reported_on=data["reported_on"],
        text=nfc(data["text"]),
        people_reached=data.get("people_reached") or 0,
        money_raised_vnd=data.get("money_raised_vnd") or 0,
        author=actor,
    )
    if at is not None:
        report.created_at = at
    report.full_clean()
    report.save()
    _store_evidence(actor=actor, registration=registration, checked=checked, report=report)
    audit_record(
        actor=actor,
        action="registration.report",
        obj=registration,
        note=_("Báo cáo tiến độ ngày %(date)s") % {"date": report.reported_on.strftime("%d/%m/%Y")},
        at=at,
    )
    return report


@transaction.atomic
def comment_add(
    *, actor: User, registration: Registration, body: str, at: datetime | None = None
) -> Comment:
    """A message on a registration from its unit or the office; the other side is e-mailed."""
    require(is_officer_of_unit | is_office, actor, registration)
    body = nfc(body).strip()
    if not body:
        raise ValidationError({"body": _("Hãy nhập nội dung trao đổi.")})
    comment = Comment.objects.create(
        registration=registration, author=actor, body=body, **({"created_at": at} if at else {})
    )
    audit_record(
        actor=actor, action="registration.comment", obj=registration, note=body[:200], at=at
    )
    if at is None:
        comment_posted.send(sender=Comment, comment=comment)
    return comment


# The campaign's registration form ----------------------------------------------------


def form_fingerprint(campaign: Campaign) -> str:
    """A digest of the campaign's form as stored, so that a form page saved over another
    office staff member's newer change is refused rather than overwriting it."""
    rows = campaign.form_questions.order_by("key").values_list(
        "key", "kind", "label", "help_text", "shown", "required", "position", "partner_parts"
    )
    return hashlib.sha256(json.dumps(list(rows), ensure_ascii=False).encode()).hexdigest()[:16]


FORM_FIELDS = ("label", "help_text", "shown", "required", "position", "partner_parts")


@transaction.atomic
def registration_form_save(
    *, actor: User, campaign: Campaign, rows: list[dict], fingerprint: str | None
) -> list[FormQuestion]:
    """Store the campaign's registration form: for each question (``key`` of a standard
    or added one; no key for a new added question) its label, help text, whether it is
    shown and required, its position, and for the partners whether the forces are split.

    Guarantees: only the organisation's office staff change it, while the campaign has
    not ended; the model's name stays asked; an added question keeps its kind and key,
    so its stored answers keep their meaning; nothing is deleted, so no answer is lost
    (a question to drop is hidden); a save based on an older form than the stored one
    is refused (``StaleEdit``); one audit event lists the changes.
    """
    campaign = (
        Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    )
    require(is_office, actor, campaign)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("Phong trào đã kết thúc; không sửa mẫu phiếu được nữa."))
    if fingerprint is not None and fingerprint != form_fingerprint(campaign):
        raise StaleEdit
    stored = {row.key: row for row in campaign.form_questions.all()}
    if not stored:
        # The first change of the standard form: store it whole, then apply the change.
        for question in default_questions():
            stored[question.key] = FormQuestion(
                campaign=campaign,
                key=question.key,
                kind=FormQuestion.Kind.STANDARD,
                shown=True,
                required=question.required,
                position=question.position,
            )
    before = {key: _form_row_snapshot(row) for key, row in stored.items() if row.pk}
    extra_numbers = [
        int(key.rsplit("-", 1)[1])
        for key in stored
        if key.startswith("cau-hoi-") and key.rsplit("-", 1)[1].isdigit()
    ]
    next_number = max(extra_numbers, default=0) + 1
    unplaced = []  # new questions typed without a place: after every other, in order
    for values in rows:
        key = values.get("key") or ""
        if key and key not in stored and key not in STANDARD_BY_KEY:
            raise ValidationError(_("Mục “%(key)s” không có trên phiếu.") % {"key": key})
        if not key:
            label = nfc(values.get("label") or "").strip()
            if not label:
                continue  # a blank row for a new question, left unused
            if values.get("kind") not in EXTRA_KINDS:
                raise ValidationError(
                    _("Hãy chọn loại của câu hỏi thêm “%(label)s”.") % {"label": label}
                )
            key = f"cau-hoi-{next_number}"
            next_number += 1
            stored[key] = FormQuestion(campaign=campaign, key=key, kind=values["kind"])
            if values.get("position") is None:
                unplaced.append(stored[key])
        row = stored.get(key) or FormQuestion(
            campaign=campaign, key=key, kind=FormQuestion.Kind.STANDARD
        )
        stored[key] = row
        for name in FORM_FIELDS:
            if name in values:
                value = values[name]
                setattr(row, name, nfc(value).strip() if isinstance(value, str) else value)
        standard = STANDARD_BY_KEY.get(key) if row.kind == FormQuestion.Kind.STANDARD else None
        if standard is not None and standard.fixed:
            row.shown = row.required = True
        if row.kind != FormQuestion.Kind.STANDARD and not row.label:
            raise ValidationError(_("Câu hỏi thêm phải có tên."))
        if not row.shown:
            row.required = False
        if standard is None or standard.kind != "partners":
            row.partner_parts = False
    last = max(
        (row.position for row in stored.values() if all(row is not new for new in unplaced)),
        default=0,
    )
    for index, row in enumerate(unplaced, start=1):
        row.position = last + 10 * index
    for row in stored.values():
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()
    after = {key: _form_row_snapshot(row) for key, row in stored.items()}
    changes = {key: [before.get(key), after[key]] for key in after if before.get(key) != after[key]}
    audit_record(
        actor=actor,
        action="campaign.registration_form",
        obj=campaign,
        organization=campaign.organization,
        changes=changes,
        note=_("Sửa mẫu phiếu đăng ký mô hình"),
    )
    if hasattr(campaign, "_questions"):
        del campaign._questions
    return list(campaign.form_questions.order_by("position", "pk"))


def _form_row_snapshot(row: FormQuestion) -> dict:
    return {name: getattr(row, name) for name in ("kind", *FORM_FIELDS)}


def registration_form_copy(*, source: Campaign, target: Campaign) -> None:
    """Give ``target`` (a new campaign, e.g. next year's copy) the form of ``source``."""
    FormQuestion.objects.bulk_create(
        FormQuestion(
            campaign=target,
            key=row.key,
            kind=row.kind,
            label=row.label,
            help_text=row.help_text,
            shown=row.shown,
            required=row.required,
            position=row.position,
            partner_parts=row.partner_parts,
        )
        for row in source.form_questions.all()
    )


# Models that continue within a stage ----------------------------------------------------

# What a model carries into the next year: its content and who runs it.
CARRIED = (*COLUMN_KEYS, *OWNER_COLUMNS, "answers", "launched_on")


@transaction.atomic
def registration_continue(
    *, actor: User, registration: Registration, into: Campaign
) -> Registration:
    """Carry an accepted model into the next year of its stage without registering it
    again: a new registration of ``into`` with the same content, unit, owner, partners and
    launch, accepted at once, pointing back to last year's (its history).

    Office staff only; both campaigns in one stage, ``into`` later and issued; a model
    continues once into a year. One audit event on each of the two records.
    """
    into = _lock_year(into)
    source = (
        Registration.objects.select_for_update()
        .select_related("campaign", "unit")
        .get(pk=registration.pk)
    )
    require(is_office, actor, into)
    if source.organization_id != into.organization_id:
        raise PermissionDenied
    stage = source.campaign.stage_id
    if stage is None or into.stage_id != stage or into.year <= source.campaign.year:
        raise ValidationError(
            _("Mô hình chỉ tiếp tục sang một năm sau trong cùng giai đoạn."), code="stage"
        )
    if into.status != Campaign.Status.ISSUED:
        raise ValidationError(_("Phong trào năm nhận mô hình chưa ban hành hoặc đã kết thúc."))
    if source.status not in selectors.CONTINUES_FROM:
        raise ValidationError(
            _("Chỉ mô hình đã được chấp nhận hoặc công nhận mới tiếp tục sang năm sau.")
        )
    if Registration.objects.filter(continues=source).exists():
        raise ValidationError(
            _("Mô hình %(code)s đã được tiếp tục sang năm sau.") % {"code": source.code},
            code="conflict",
        )
    sequence, code = _next_number(into)
    now = timezone.now()
    continued = Registration(
        campaign=into,
        organization=into.organization,
        unit=source.unit,
        sequence=sequence,
        code=code,
        created_by=actor,
        on_behalf=source.on_behalf,
        continues=source,
        status=Status.ACCEPTED,
        submitted_at=now,
        decided_at=now,
        **{name: getattr(source, name) for name in CARRIED},
    )
    continued.search_text = _search_text(continued)
    continued.save()
    Partner.objects.bulk_create(
        Partner(
            registration=continued,
            unit=partner.unit,
            outside_name=partner.outside_name,
            role=partner.role,
            part=partner.part,
            position=partner.position,
        )
        for partner in source.partners.all()
    )
    note = _("Tiếp tục mô hình %(code)s năm %(year)s sang năm %(next)s.") % {
        "code": source.code,
        "year": source.campaign.year,
        "next": into.year,
    }
    audit_record(actor=actor, action="registration.continue", obj=continued, note=note)
    audit_record(actor=actor, action="registration.continued", obj=source, note=note)
    return continued
