"""Every change at the level above: the communes under a province (set up by a
superuser) and the proposals communes send it.

A proposal's status changes only through ``WORKFLOW`` (``danvan.workflow``): each move
checks the table and the actor, updates on condition of the status the caller saw,
writes an audit event and tells the other side through ``notifications`` (in the
portal, and by e-mail after the commit as each person prefers).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from awards.models import Escalation
from awards.services import escalation_record_outcome
from danvan.accounts.models import Membership, User
from danvan.accounts.rules import is_office, require
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.storage import FilesOfTransaction
from danvan.text import nfc
from danvan.uploads import EVIDENCE_TYPES, check_upload
from danvan.workflow import Move, Workflow
from notifications.models import Kind
from notifications.services import notify
from province.models import CommuneMembership, Proposal
from province.rules import is_office_of_sending_commune, is_province_office
from province.selectors import province_of

Status = Proposal.Status
Role = Membership.Role
SUBMISSION_TYPES = {key: EVIDENCE_TYPES[key] for key in ("pdf", "docx")}
SUBMISSION_MAX_BYTES = 10 * 1024 * 1024

WORKFLOW = Workflow(
    model=Proposal,
    name="proposal",
    moves=[
        Move(
            Status.SENT,
            Status.RETURNED,
            is_province_office,
            pgettext_lazy("action", "Trả lại để bổ sung"),
            needs_reason=True,
        ),
        Move(Status.RETURNED, Status.SENT, is_office_of_sending_commune),
        Move(Status.SENT, Status.ACCEPTED, is_province_office, gettext_lazy("Tiếp nhận hồ sơ")),
        Move(
            Status.SENT,
            Status.REJECTED,
            is_province_office,
            gettext_lazy("Không tiếp nhận"),
            needs_reason=True,
        ),
        Move(Status.ACCEPTED, Status.DECIDED, is_province_office),
        Move(
            Status.ACCEPTED,
            Status.REJECTED,
            is_province_office,
            gettext_lazy("Không khen thưởng"),
            needs_reason=True,
        ),
    ],
    noun=gettext_lazy("đề nghị"),
    conflict=gettext_lazy("Đề nghị vừa được người khác xử lý; hãy tải lại trang."),
)


# The communes under a province ---------------------------------------------------------


@transaction.atomic
def membership_save(*, actor: User, membership: CommuneMembership) -> CommuneMembership:
    """Record (or correct) that a commune is under a province for a period. Superusers
    only; overlapping periods of one commune are refused. Audited in the province."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied
    before = {}
    if membership.pk:
        old = CommuneMembership.objects.select_for_update().get(pk=membership.pk)
        before = snapshot(old, ["province", "commune", "valid_from", "valid_to", "name_then"])
    membership.full_clean()
    membership.save()
    after = snapshot(membership, ["province", "commune", "valid_from", "valid_to", "name_then"])
    audit_record(
        actor=actor,
        action="province.membership",
        obj=membership,
        organization=membership.province,
        changes=changes_between(before, after),
    )
    return membership


# Proposals ------------------------------------------------------------------------------


def _staff(organization_id: int, role: str) -> list[int]:
    """The active users holding ``role`` in the organisation."""
    return list(
        Membership.objects.filter(
            organization_id=organization_id, role=role, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _notify(proposal: Proposal, event: str, **params) -> None:
    """Tell the other side of ``proposal`` about ``event`` (the status it moved to), in
    the portal and, by each person's preference, by e-mail after the commit: the
    province's office when the proposal arrives or comes back (sent), the sending
    commune's office of every answer. Runs inside the step's transaction; ``event_key``
    names the step (a resend by its number), so the people are told once per step
    however often this runs."""
    nomination = proposal.nomination
    params = {
        "commune": proposal.commune.name,
        "province": proposal.organization.name,
        "nominee": nomination.nominee_name,
        "award": nomination.award_form.name,
        **params,
    }
    if event == Status.SENT:
        organization, role, kind = (
            proposal.organization,
            Role.PROVINCE_OFFICE,
            Kind.PROPOSAL_RECEIVED,
        )
        params["times"] = proposal.times_sent
    else:
        organization, role, kind = proposal.commune, Role.OFFICE, Kind.PROPOSAL_ANSWERED
        params["status"] = str(event)
    key = f"proposal:{proposal.pk}:{event}"
    if event in (Status.SENT, Status.RETURNED):  # these happen once per time it was sent
        key += f":{proposal.times_sent}"
    notify(
        organization=organization,
        recipients=_staff(organization.pk, role),
        kind=kind,
        event_key=key,
        url=reverse("province:proposal", args=[proposal.pk]),
        params=params,
    )


def _dossier_file(proposal: Proposal, upload) -> None:
    checked = check_upload(upload, allowed=SUBMISSION_TYPES, max_bytes=SUBMISSION_MAX_BYTES)
    files = FilesOfTransaction(Proposal._meta.get_field("submission").storage)
    proposal.submission.name = files.save(
        f"proposals/{proposal.commune_id}/{checked.stored_name}", upload
    )
    proposal.submission_name = checked.original_name


@transaction.atomic
def proposal_send(
    *, actor: User, escalation: Escalation, cover_note: str = "", submission=None
) -> Proposal:
    """Send an escalated nomination to the province the commune is under today: it
    becomes a record in the province's queue, with the dossier the commune already has
    (the nomination, its achievement report, the council's vote and minutes) and the
    submission (tờ trình) given here. The commune's office only; once per escalation."""
    escalation = (
        Escalation.objects.select_for_update()
        .select_related("nomination", "organization")
        .get(pk=escalation.pk)
    )
    commune = escalation.organization
    require(is_office, actor, commune)
    if escalation.status != Escalation.Status.SENT:
        raise ValidationError(_("Cấp trên đã có kết quả cho đề nghị này."), code="conflict")
    if Proposal.objects.filter(escalation=escalation).exists():
        raise ValidationError(_("Đề nghị này đã được gửi lên cấp tỉnh."), code="duplicate")
    province = province_of(commune)
    if province is None:
        raise ValidationError(
            _(
                "%(commune)s chưa được gắn với một cấp tỉnh trên cổng; hãy liên hệ quản trị "
                "viên cấp tỉnh."
            )
            % {"commune": commune.name}
        )
    proposal = Proposal(
        organization=province,
        commune=commune,
        escalation=escalation,
        nomination=escalation.nomination,
        cover_note=nfc(cover_note).strip(),
        sent_by=actor,
    )
    if submission is not None:
        _dossier_file(proposal, submission)
    proposal.save()
    audit_record(
        actor=actor,
        action="proposal.send",
        obj=proposal,
        note=f"{commune.name} → {province.name}: {escalation.nomination}",
    )
    audit_record(
        actor=actor,
        action="proposal.send",
        obj=escalation.nomination,
        organization=commune,
        note=province.name,
    )
    _notify(proposal, Status.SENT)
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("escalation", "nomination__award_form", "commune", "organization")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_return(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """The province returns a proposal for the commune to complete, saying why."""
    source = proposal.status
    proposal = _locked(proposal)
    WORKFLOW.move(
        actor=actor,
        obj=proposal,
        to=Status.RETURNED,
        reason=reason,
        source=source,
        updates={"status_reason": nfc(reason).strip()},
    )
    _notify(proposal, Status.RETURNED, reason=proposal.status_reason)
    return proposal


@transaction.atomic
def proposal_resend(
    *, actor: User, proposal: Proposal, cover_note: str, submission=None
) -> Proposal:
    """The commune sends a returned proposal again, with what it completed."""
    source = proposal.status
    proposal = _locked(proposal)
    WORKFLOW.check(actor=actor, obj=proposal, to=Status.SENT, source=source)
    updates = {
        "cover_note": nfc(cover_note).strip(),
        "status_reason": "",
        "sent_at": timezone.now(),
        "sent_by": actor,
        "times_sent": proposal.times_sent + 1,
    }
    if submission is not None:
        _dossier_file(proposal, submission)
        updates.update(
            submission=proposal.submission.name, submission_name=proposal.submission_name
        )
    WORKFLOW.move(
        actor=actor,
        obj=proposal,
        to=Status.SENT,
        source=source,
        updates=updates,
        note=_("Gửi lại lần %(times)s") % {"times": proposal.times_sent + 1},
    )
    _notify(proposal, Status.SENT)
    return proposal


@transaction.atomic
def proposal_accept(*, actor: User, proposal: Proposal) -> Proposal:
    """The province takes the proposal into its own nomination and decision process."""
    source = proposal.status
    proposal = _locked(proposal)
    WORKFLOW.move(actor=actor, obj=proposal, to=Status.ACCEPTED, source=source)
    _notify(proposal, Status.ACCEPTED)
    return proposal


@transaction.atomic
def proposal_reject(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """The province declines the proposal (before or after taking it in), saying why;
    the commune's escalation records the refusal."""
    source = proposal.status
    proposal = _locked(proposal)
    WORKFLOW.move(
        actor=actor,
        obj=proposal,
        to=Status.REJECTED,
        reason=reason,
        source=source,
        updates={"status_reason": nfc(reason).strip()},
    )
    _notify(proposal, Status.REJECTED, reason=proposal.status_reason)
    escalation_record_outcome(
        actor=actor,
        escalation=proposal.escalation,
        approved=False,
        outcome_on=timezone.localdate(),
        note=_("%(province)s: %(reason)s")
        % {"province": proposal.organization.name, "reason": nfc(reason).strip()},
    )
    return proposal


@transaction.atomic
def proposal_decide(
    *, actor: User, proposal: Proposal, decision_number: str, decision_date: date
) -> Proposal:
    """The province's award decision for an accepted proposal: its number and date are
    recorded on the proposal and, as the escalation's outcome, against the commune's
    nomination."""
    decision_number = nfc(decision_number).strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Hãy ghi số quyết định.")})
    if decision_date is None:
        raise ValidationError({"decision_date": _("Hãy ghi ngày quyết định.")})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("Ngày quyết định không được sau hôm nay.")})
    source = proposal.status
    proposal = _locked(proposal)
    if decision_date < timezone.localdate(proposal.sent_at):
        raise ValidationError(
            {"decision_date": _("Ngày quyết định không được trước ngày xã, phường gửi đề nghị.")}
        )
    WORKFLOW.move(
        actor=actor,
        obj=proposal,
        to=Status.DECIDED,
        source=source,
        updates={"decision_number": decision_number, "decision_date": decision_date},
        note=_("Quyết định số %(number)s ngày %(date)s")
        % {"number": decision_number, "date": decision_date.strftime("%d/%m/%Y")},
    )
    _notify(
        proposal,
        Status.DECIDED,
        number=decision_number,
        date=decision_date.strftime("%d/%m/%Y"),
    )
    escalation_record_outcome(
        actor=actor,
        escalation=proposal.escalation,
        approved=True,
        outcome_on=decision_date,
        note=_("Quyết định số %(number)s ngày %(date)s của %(province)s")
        % {
            "number": decision_number,
            "date": decision_date.strftime("%d/%m/%Y"),
            "province": proposal.organization.name,
        },
    )
    return proposal
