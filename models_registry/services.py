"""Every change to registrations of models, their reports, evidence and comments.

Status changes go through ``registration_transition`` only: it checks the table of allowed
moves and who may make them, and updates on condition of the status the caller saw, so
of two simultaneous clicks exactly one wins.
"""

from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from campaigns.models import Campaign
from danvan.accounts.models import Organization, Unit, User
from danvan.accounts.rules import acts_for_unit, is_office, is_officer_of_unit, require
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.text import fold, nfc
from danvan.uploads import EVIDENCE_TYPES, check_uploads, store_uploads
from danvan.workflow import Move, Workflow, check_version
from models_registry import notifications
from models_registry.models import (
    Comment,
    Evidence,
    LateException,
    Milestone,
    Partner,
    ProgressReport,
    Registration,
)
from models_registry.rules import is_editable, takes_evidence, takes_reports

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

REGISTRATION_FIELDS = (
    "name",
    "field",
    "situation",
    "objectives",
    "success_measures",
    "content_methods",
    "area",
    "beneficiaries",
    "person_in_charge",
    "person_in_charge_position",
    "person_in_charge_phone",
    "budget_vnd",
    "contributions_vnd",
    "workdays",
    "start_date",
    "evaluation_date",
    "expected_outputs",
    "sustainability",
)
SEARCHED_FIELDS = (
    "code",
    "name",
    "situation",
    "objectives",
    "success_measures",
    "content_methods",
    "area",
    "beneficiaries",
    "expected_outputs",
)


def _search_text(registration: Registration) -> str:
    return fold(" ".join(str(getattr(registration, name) or "") for name in SEARCHED_FIELDS))


def registration_window_open(*, campaign: Campaign, unit: Unit, today: date | None = None) -> bool:
    """Whether ``unit`` may submit now: inside the campaign's registration window, or
    before the expiry of a late-submission exception granted to it."""
    today = today or timezone.localdate()
    if campaign.status != Campaign.Status.ISSUED:
        return False
    if campaign.registration_opens <= today <= campaign.registration_deadline:
        return True
    return LateException.objects.filter(
        campaign=campaign, unit=unit, expires_on__gte=today
    ).exists()


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
    campaign = (
        Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    )
    if unit.organization_id != campaign.organization_id:
        raise PermissionDenied
    require(acts_for_unit, actor, unit)
    if campaign.status != Campaign.Status.ISSUED:
        raise ValidationError(
            _("Phong trào chưa ban hành kế hoạch hoặc đã kết thúc; chưa đăng ký được.")
        )
    if not unit.is_active:
        raise ValidationError(_("Đơn vị đã ngừng hoạt động."))
    _check_own_parts(campaign.organization, data, partners)
    last = (
        Registration.objects.filter(campaign=campaign).aggregate(last=Max("sequence"))["last"] or 0
    )
    registration = Registration(
        campaign=campaign,
        organization=campaign.organization,
        unit=unit,
        sequence=last + 1,
        code=f"DVK-{campaign.year}-{last + 1:03d}",
        created_by=actor,
        on_behalf=not is_officer_of_unit.test(actor, unit),
        **({"created_at": at} if at is not None else {}),
    )
    for name in REGISTRATION_FIELDS:
        if name in data:
            setattr(
                registration, name, nfc(data[name]) if isinstance(data[name], str) else data[name]
            )
    registration.search_text = _search_text(registration)
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
    for name in REGISTRATION_FIELDS:
        if name in data:
            setattr(
                registration, name, nfc(data[name]) if isinstance(data[name], str) else data[name]
            )
    registration.search_text = _search_text(registration)
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
        if source == Status.DRAFT and not registration_window_open(
            campaign=registration.campaign, unit=registration.unit, today=timezone.localdate(now)
        ):
            raise ValidationError(
                _("Đã hết hạn đăng ký mô hình. Hãy đề nghị Văn phòng cho gia hạn."), code="closed"
            )
        updates["submitted_at"] = now
    elif to in DECIDED_BY_OFFICE:
        updates["decided_at"] = now
    # A move of the past, being recorded now, is news to nobody.
    notify = (
        ()
        if at is not None
        else (partial(notifications.status_changed, registration, actor=actor),)
    )
    WORKFLOW.move(
        actor=actor,
        obj=registration,
        to=to,
        reason=reason,
        updates=updates,
        at=at,
        after_commit=notify,
        source=source,
    )
    registration.refresh_from_db()
    return registration


@transaction.atomic
def late_exception_grant(
    *, actor: User, campaign: Campaign, unit: Unit, expires_on: date, reason: str = ""
) -> LateException:
    """Let ``unit`` submit after the deadline until ``expires_on`` (replacing an earlier grant)."""
    require(is_office, actor, campaign)
    if unit.organization_id != campaign.organization_id:
        raise PermissionDenied
    if expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("Ngày hết hạn phải từ hôm nay trở đi.")})
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
        transaction.on_commit(lambda: notifications.comment_added(comment))
    return comment
