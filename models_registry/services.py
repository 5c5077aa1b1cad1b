"""Every change to registrations of models, their reports, evidence and comments.

Status changes go through ``registration_transition`` only: it checks the table of allowed
moves and who may make them, and updates on condition of the status the caller saw, so
of two simultaneous clicks exactly one wins.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from danvan.accounts.models import Membership, Organization, Unit, User
from danvan.accounts.selectors import roles_in, unit_ids_in
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.text import fold, nfc
from danvan.uploads import EVIDENCE_TYPES, check_uploads, store_uploads
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

Status = Registration.Status
Role = Membership.Role

UNIT, OFFICE = "unit", "office"
# (from, to) -> who may: the lead unit's officers, or the organisation's office staff.
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): UNIT,
    (Status.RETURNED, Status.SUBMITTED): UNIT,
    (Status.SUBMITTED, Status.RETURNED): OFFICE,
    (Status.SUBMITTED, Status.ACCEPTED): OFFICE,
    (Status.SUBMITTED, Status.REJECTED): OFFICE,
    (Status.ACCEPTED, Status.WITHDRAWN): UNIT,
    (Status.ACCEPTED, Status.RECOGNISED): OFFICE,
    (Status.ACCEPTED, Status.NOT_RECOGNISED): OFFICE,
    (Status.RECOGNISED, Status.REPLICATED): OFFICE,
}
REASON_REQUIRED = {Status.RETURNED, Status.REJECTED, Status.WITHDRAWN}

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


class StaleEdit(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Mô hình vừa được người khác sửa. Hãy tải lại trang để xem bản mới nhất; "
                "nội dung bạn vừa gõ vẫn còn trong ô nhập."
            ),
            code="stale",
        )


def is_unit_officer(actor: User, registration: Registration) -> bool:
    return registration.unit_id in unit_ids_in(
        actor, registration.organization_id, Role.UNIT_OFFICER
    )


def is_office(actor: User, organization_id: int) -> bool:
    return Role.OFFICE in roles_in(actor, organization_id)


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


def _check_partner_units(organization: Organization, partners) -> None:
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
    if unit.pk not in unit_ids_in(actor, campaign.organization_id, Role.UNIT_OFFICER):
        raise PermissionDenied
    if campaign.status != Campaign.Status.ISSUED:
        raise ValidationError(
            _("Phong trào chưa ban hành kế hoạch hoặc đã kết thúc; chưa đăng ký được.")
        )
    if not unit.is_active:
        raise ValidationError(_("Đơn vị đã ngừng hoạt động."))
    _check_partner_units(campaign.organization, partners)
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
    if not is_unit_officer(actor, registration):
        raise PermissionDenied
    if not registration.is_editable:
        raise ValidationError(
            _("Mô hình đã gửi; chỉ sửa được khi còn là bản nháp hoặc bị trả lại.")
        )
    if expected_version is not None and expected_version != registration.version:
        raise StaleEdit
    _check_partner_units(registration.organization, partners)
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


def _check_actor(actor: User, registration: Registration, who: str) -> None:
    allowed = (
        is_unit_officer(actor, registration)
        if who == UNIT
        else is_office(actor, registration.organization_id)
    )
    if not allowed:
        raise PermissionDenied


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
    who = TRANSITIONS.get((source, to))
    if who is None:
        raise ValidationError(
            _("Không thể chuyển mô hình từ “%(from)s” sang “%(to)s”.")
            % {"from": Status(source).label, "to": Status(to).label},
            code="transition",
        )
    _check_actor(actor, registration, who)
    reason = reason.strip()
    if to in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do.")}, code="reason")
    now = at or timezone.now()
    updates = {
        "status": to,
        "status_reason": reason,
        "version": F("version") + 1,
        "updated_at": now,
    }
    if to == Status.SUBMITTED:
        if source == Status.DRAFT and not registration_window_open(
            campaign=registration.campaign, unit=registration.unit, today=timezone.localdate(now)
        ):
            raise ValidationError(
                _("Đã hết hạn đăng ký mô hình. Hãy đề nghị Văn phòng cho gia hạn."), code="closed"
            )
        updates["submitted_at"] = now
    elif who == OFFICE:
        updates["decided_at"] = now
    moved = Registration.objects.filter(pk=registration.pk, status=source).update(**updates)
    if not moved:
        raise ValidationError(
            _("Mô hình vừa được người khác xử lý; hãy tải lại trang để xem trạng thái mới."),
            code="conflict",
        )
    audit_record(
        actor=actor,
        action=f"registration.{to}",
        obj=registration,
        changes={"status": [source, to]},
        note=reason,
        at=at,
    )
    registration.refresh_from_db()
    if at is None:  # a move of the past, being recorded now, is news to nobody
        transaction.on_commit(lambda: notifications.status_changed(registration, actor=actor))
    return registration


@transaction.atomic
def late_exception_grant(
    *, actor: User, campaign: Campaign, unit: Unit, expires_on: date, reason: str = ""
) -> LateException:
    """Let ``unit`` submit after the deadline until ``expires_on`` (replacing an earlier grant)."""
    if not is_office(actor, campaign.organization_id):
        raise PermissionDenied
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


def _may_attach(actor: User, registration: Registration) -> bool:
    return is_unit_officer(actor, registration)


@transaction.atomic
def evidence_add(*, actor: User, registration: Registration, files: list) -> list[Evidence]:
    """Attach files to a registration (its unit's officers, while it can still change or
    once accepted). All files are checked first; none is kept if one is refused."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not _may_attach(actor, registration):
        raise PermissionDenied
    if registration.status not in (
        Status.DRAFT,
        Status.RETURNED,
        Status.ACCEPTED,
        Status.RECOGNISED,
    ):
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
    if not _may_attach(actor, registration) or not registration.is_editable:
        raise PermissionDenied
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
    if not is_unit_officer(actor, registration):
        raise PermissionDenied
    if registration.status not in (Status.ACCEPTED, Status.RECOGNISED, Status.REPLICATED):
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
    if not (is_unit_officer(actor, registration) or is_office(actor, registration.organization_id)):
        raise PermissionDenied
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
