"""Every change to nominations, council votes, award decisions and escalations.

Nomination status changes go through ``nomination_transition`` only; a decision is
issued by ``decision_issue``, which locks the nominations it awards so that two
approvals at the same moment make one decision with one number.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import (
    Award,
    AwardDecision,
    AwardForm,
    BaseSalary,
    CouncilMeeting,
    Escalation,
    Multiplier,
    Nomination,
    PassThreshold,
    RecipientKind,
    RoundingRule,
    Vote,
    in_force,
)
from awards.rules import is_level_above, is_proposer
from awards.signals import nominations_passed
from campaigns.models import Campaign
from danvan.accounts.models import Unit, User
from danvan.accounts.rules import (
    is_office,
    is_officer_of_unit,
    is_signer,
    require,
    signs_for_chairman,
)
from danvan.audit.services import audit_record
from danvan.documents import services as documents
from danvan.documents.models import DocumentKind
from danvan.documents.services import register_number_required
from danvan.storage import FilesOfTransaction
from danvan.text import fold, nfc, quoted, text_key, thousands
from danvan.uploads import EVIDENCE_TYPES, check_upload
from danvan.workflow import Move, Workflow
from models_registry.models import Registration

Status = Nomination.Status
Kind = Nomination.Kind

# The office records the council's vote and what goes up; the chairman and
# vice-chairmen decide; whoever proposed (or the office) may withdraw.
WORKFLOW = Workflow(
    model=Nomination,
    name="nomination",
    moves=[
        Move(Status.PROPOSED, Status.PASSED, is_office),
        Move(Status.PROPOSED, Status.NOT_PASSED, is_office),
        Move(Status.PASSED, Status.NOT_PASSED, is_office),
        Move(Status.NOT_PASSED, Status.PASSED, is_office),
        Move(
            Status.PROPOSED, Status.WITHDRAWN, is_proposer | is_office, gettext_lazy("Rút đề nghị")
        ),
        Move(Status.PASSED, Status.APPROVED, is_signer),
        Move(Status.PASSED, Status.REJECTED, is_signer),
        Move(Status.PASSED, Status.ESCALATED, is_office),
    ],
    noun=gettext_lazy("đề nghị"),
    conflict=lambda nomination: (
        _("Đề nghị khen thưởng của %(nominee)s vừa được người khác xử lý; hãy tải lại trang.")
        % {"nominee": nomination.nominee_name}
    ),
)
ESCALATION_WORKFLOW = Workflow(
    model=Escalation,
    name="escalation",
    moves=[
        Move(Escalation.Status.SENT, Escalation.Status.APPROVED, is_office | is_level_above),
        Move(Escalation.Status.SENT, Escalation.Status.REFUSED, is_office | is_level_above),
    ],
    noun=gettext_lazy("đề nghị cấp trên"),
    conflict=gettext_lazy("Kết quả đã được ghi trước đó."),
)
REPORT_TYPES = {key: EVIDENCE_TYPES[key] for key in ("pdf", "docx")}
REPORT_MAX_BYTES = 10 * 1024 * 1024


# Amounts -------------------------------------------------------------------------------


def base_salary_on(day: date) -> BaseSalary:
    """The base salary in force on ``day``; ValidationError if none is."""
    salary = in_force(BaseSalary.objects.all(), day).order_by("-effective_from").first()
    if salary is None:
        raise ValidationError(
            _(
                "Chưa có mức lương cơ sở áp dụng cho ngày %(day)s; hãy nhập mức lương cơ sở trong trang quản trị."
            )
            % {"day": day.strftime("%d/%m/%Y")},
            code="no_base_salary",
        )
    return salary


def rounding_on(day: date) -> RoundingRule | None:
    """The rounding rule in force on ``day``, if a decree sets one."""
    return in_force(RoundingRule.objects.all(), day).order_by("-effective_from").first()


def amount_vnd(
    multiplier: Decimal, base_salary_vnd: int, rounding: RoundingRule | None = None
) -> int:
    """Multiplier × base salary, rounded as ``rounding`` says (to the đồng, half up, when
    no rule applies)."""
    amount = Decimal(multiplier) * Decimal(base_salary_vnd)
    if rounding is None:
        return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return rounding.apply(amount)


@dataclass(frozen=True)
class Priced:
    nomination: Nomination
    multiplier: Decimal
    amount_vnd: int


class Rates:
    """The rules in force on ``day`` for some award forms: the base salary, the rounding
    and each form's multiplier per kind of recipient (three queries), to price any number
    of nominations (``price``) or of rows of a form and a kind (the chairman's desk)."""

    def __init__(self, day: date, award_form_ids):
        self.day = day
        self.salary = base_salary_on(day)
        self.rounding = rounding_on(day)
        rows = in_force(Multiplier.objects.filter(award_form__in=set(award_form_ids)), day)
        self.rows = {
            (row.award_form_id, row.recipient_kind): row for row in rows.order_by("effective_from")
        }  # latest wins

    def of(self, award_form: AwardForm, recipient_kind: str) -> tuple[Decimal, int]:
        """(multiplier, amount) of ``award_form`` for ``recipient_kind``; a form without
        cash (``has_reward`` off) is worth nothing. Raises ValidationError naming what is
        missing (a rate the law does not set is missing too)."""
        if not award_form.has_reward:
            # A recognition without cash (Giấy chứng nhận mô hình): no rate to look up.
            return Decimal(0), 0
        row = self.rows.get((award_form.pk, recipient_kind))
        if row is None or row.multiplier is None:
            raise ValidationError(
                _(
                    "Chưa có mức tiền thưởng của %(form)s cho %(kind)s áp dụng ngày %(day)s"
                    "%(source)s. Mức này do quản trị hệ thống nhập (trang quản trị › Mức "
                    "tiền thưởng) theo quy định của tỉnh: hãy đề nghị họ nhập, rồi làm lại."
                )
                % {
                    "form": quoted(award_form.name),
                    "kind": str(RecipientKind(recipient_kind).label).lower(),
                    "day": self.day.strftime("%d/%m/%Y"),
                    "source": f" ({row.legal_basis}: {row.note})" if row is not None else "",
                },
                code="no_multiplier",
            )
        return row.multiplier, amount_vnd(row.multiplier, self.salary.amount_vnd, self.rounding)


def price(nominations, day: date) -> tuple[BaseSalary, list[Priced]]:
    """Each nomination's reward under the rules in force on ``day``: its form's multiplier
    for its kind of recipient, times the base salary, rounded as the decree then in force
    says (``Rates``). Three queries whatever the number of nominations."""
    nominations = list(nominations)
    rates = Rates(day, {n.award_form_id for n in nominations})
    priced = [Priced(n, *rates.of(n.award_form, n.recipient_kind)) for n in nominations]
    return rates.salary, priced


# Nominations ---------------------------------------------------------------------------


def _nominee_key(
    kind: str, unit: Unit | None, person_name: str, registration: Registration | None
) -> str:
    if kind == Kind.MODEL:
        return f"model:{registration.pk}"
    if kind == Kind.COLLECTIVE:
        return f"unit:{unit.pk}"
    return f"{kind}:{unit.pk if unit else 0}:{fold(person_name)}"


@transaction.atomic
def nomination_create(
    *,
    actor: User,
    campaign: Campaign,
    kind: str,
    award_form: AwardForm,
    achievements: str,
    unit: Unit | None = None,
    person_name: str = "",
    person_position: str = "",
    registration: Registration | None = None,
    report=None,
    today: date | None = None,
) -> Nomination:
    """Propose an award. Units nominate themselves, their people and their recognised
    models; office staff anyone in the organisation. Refused with a clear message: a
    second nomination of the same nominee in the campaign, a unit that no longer
    exists, a form that does not fit the nominee, and anything after the deadline."""
    today = today or timezone.localdate()
    organization = campaign.organization
    if campaign.status == Campaign.Status.DRAFT:
        raise ValidationError(_("Phong trào chưa ban hành kế hoạch."))
    if today > campaign.nomination_deadline:
        raise ValidationError(
            _("Đã hết hạn đề nghị khen thưởng (%(date)s).")
            % {"date": campaign.nomination_deadline.strftime("%d/%m/%Y")},
            code="deadline",
        )
    if kind == Kind.MODEL:
        if registration is None or registration.campaign_id != campaign.pk:
            raise ValidationError({"registration": _("Hãy chọn một mô hình của phong trào này.")})
        if registration.status not in (
            Registration.Status.RECOGNISED,
            Registration.Status.REPLICATED,
        ):
            raise ValidationError(
                {"registration": _("Chỉ đề nghị khen thưởng mô hình đã được công nhận.")}
            )
        unit = registration.unit
    if unit is None:
        raise ValidationError({"unit": _("Hãy chọn đơn vị.")})
    if unit.organization_id != organization.pk:
        raise ValidationError({"unit": _("Đơn vị không thuộc tổ chức này.")})
    if not unit.is_active:
        raise ValidationError(
            {"unit": _("Đơn vị “%(unit)s” đã giải thể hoặc ngừng hoạt động.") % {"unit": unit.name}}
        )
    require(is_office | is_officer_of_unit, actor, unit)
    person_name = nfc(person_name).strip()
    if kind in (Kind.INDIVIDUAL, Kind.HOUSEHOLD) and not person_name:
        raise ValidationError({"person_name": _("Hãy ghi họ và tên.")})
    recipient_kind = Nomination.recipient_kind_of(kind, registration)
    if not award_form.is_active or not award_form.allows(recipient_kind):
        raise ValidationError(
            {
                "award_form": _("%(form)s không dùng để khen thưởng đối tượng này.")
                % {"form": quoted(award_form.name)}
            }
        )
    nomination = Nomination(
        organization=organization,
        campaign=campaign,
        kind=kind,
        unit=unit,
        person_name=person_name,
        person_position=nfc(person_position).strip(),
        registration=registration if kind == Kind.MODEL else None,
        award_form=award_form,
        achievements=nfc(achievements).strip(),
        nominee_key=_nominee_key(kind, unit, person_name, registration),
        proposed_by=actor,
        proposed_by_unit=unit if is_officer_of_unit.test(actor, unit) else None,
    )
    nomination.full_clean(exclude=["report", "nominee_key"])
    if (
        Nomination.objects.filter(campaign=campaign, nominee_key=nomination.nominee_key)
        .exclude(status=Status.WITHDRAWN)
        .exists()
    ):
        raise ValidationError(
            _(
                "%(nominee)s đã được đề nghị khen thưởng cho cùng thành tích trong phong trào này; mỗi thành tích chỉ được một hình thức."
            )
            % {"nominee": nomination.nominee_name},
            code="duplicate",
        )
    if report is not None:
        checked = check_upload(report, allowed=REPORT_TYPES, max_bytes=REPORT_MAX_BYTES)
        files = FilesOfTransaction(Nomination._meta.get_field("report").storage)
        nomination.report.name = files.save(
            f"nominations/{organization.pk}/{checked.stored_name}", report
        )
        nomination.report_name = checked.original_name
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError(
            _("%(nominee)s đã được đề nghị khen thưởng trong phong trào này.")
            % {"nominee": nomination.nominee_name},
            code="duplicate",
        ) from None
    audit_record(
        actor=actor,
        action="nomination.create",
        obj=nomination,
        note=f"{nomination.nominee_name} – {award_form.name}",
    )
    return nomination


def nomination_transition(
    *, actor: User, nomination: Nomination, to: str, reason: str = ""
) -> Nomination:
    """Move a nomination to ``to`` through its workflow (``danvan.workflow``). Must run
    inside a transaction."""
    return WORKFLOW.move(
        actor=actor, obj=nomination, to=to, reason=reason, updates={"status_reason": reason}
    )


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination: Nomination) -> Nomination:
    return nomination_transition(actor=actor, nomination=nomination, to=Status.WITHDRAWN)


# The council ------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: User, campaign: Campaign, data: dict) -> CouncilMeeting:
    """Record a council meeting; its pass thresholds are the organisation's at that time
    (its own, and those it set for particular award forms)."""
    campaign = (
        Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    )
    organization = campaign.organization
    require(is_office, actor, campaign)
    held_on = data.get("held_on")
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Ngày họp không được sau hôm nay.")})
    # The same meeting sent twice (the form resent after going back) is recorded once.
    same = [
        meeting
        for meeting in CouncilMeeting.objects.filter(campaign=campaign, held_on=held_on)
        if text_key(meeting.location) == text_key(data.get("location", ""))
    ]
    if same:
        raise ValidationError(
            _("Cuộc họp ngày %(day)s tại %(place)s đã được ghi; mở nó trong danh sách cuộc họp.")
            % {"day": f"{held_on:%d/%m/%Y}", "place": same[0].location},
            code="duplicate",
        )
    meeting = CouncilMeeting(
        organization=organization,
        campaign=campaign,
        pass_percent=organization.council_pass_percent,
        form_thresholds={
            str(form_id): percent
            for form_id, percent in PassThreshold.objects.filter(
                organization=organization
            ).values_list("award_form_id", "pass_percent")
        },
        created_by=actor,
        **data,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action="council.meeting", obj=meeting, note=str(meeting))
    return meeting


@transaction.atomic
def votes_record(
    *, actor: User, meeting: CouncilMeeting, votes: dict[int, int]
) -> list[Nomination]:
    """Record the secret-ballot results ({nomination id: votes in favour}) and mark each
    nomination passed or not by the meeting's threshold (of all members, not only those
    present). Every count is checked first; if one is wrong nothing is saved."""
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    require(is_office, actor, meeting)
    nominations = {
        n.pk: n
        for n in Nomination.objects.select_for_update(of=("self",))
        .filter(campaign=meeting.campaign_id, pk__in=list(votes))
        .select_related("unit", "registration", "award_form")
    }
    problems = {}
    for nomination_id, count in votes.items():
        nomination = nominations.get(nomination_id)
        if nomination is None:
            problems[nomination_id] = _("Đề nghị không thuộc phong trào của cuộc họp.")
        elif nomination.status not in (Status.PROPOSED, Status.PASSED, Status.NOT_PASSED):
            problems[nomination_id] = _("Đề nghị đã được xử lý, không bỏ phiếu lại được.")
        elif count is None or count < 0:
            problems[nomination_id] = _("Số phiếu phải là số không âm.")
        elif count > meeting.present:
            problems[nomination_id] = _(
                "Số phiếu đồng ý (%(votes)s) lớn hơn số thành viên có mặt (%(present)s)."
            ) % {
                "votes": count,
                "present": meeting.present,
            }
    if problems:
        raise ValidationError(problems)
    recorded = []
    for nomination_id, count in votes.items():
        nomination = nominations[nomination_id]
        Vote.objects.update_or_create(
            meeting=meeting, nomination=nomination, defaults={"votes_in_favour": count}
        )
        target = (
            Status.PASSED if meeting.passes(count, nomination.award_form_id) else Status.NOT_PASSED
        )
        if nomination.status != target:
            nomination_transition(
                actor=actor,
                nomination=nomination,
                to=target,
                reason=_("%(votes)s/%(total)s phiếu đồng ý (cần %(percent)s%%)")
                % {
                    "votes": count,
                    "total": meeting.total_members,
                    "percent": meeting.threshold_for(nomination.award_form_id),
                },
            )
        recorded.append(nomination)
    passed = [n for n in recorded if n.status == Status.PASSED]
    if passed:
        nominations_passed.send(sender=CouncilMeeting, meeting=meeting, nominations=passed)
    audit_record(
        actor=actor,
        action="council.votes",
        obj=meeting,
        note=_("%(count)s đề nghị") % {"count": len(votes)},
    )
    return recorded


# Decisions --------------------------------------------------------------------------------


def _locked_passed(nominations, organization_id: int) -> list[Nomination]:
    ids = sorted({n.pk for n in nominations})
    locked = list(
        Nomination.objects.select_for_update()
        .filter(pk__in=ids, organization_id=organization_id)
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise PermissionDenied
    # Related rows for the document, read after the lock.
    by_id = {
        n.pk: n
        for n in Nomination.objects.filter(pk__in=ids)
        .select_related("unit", "registration", "award_form", "campaign", "organization")
        .order_by("pk")
    }
    stale = [n for n in locked if n.status != Status.PASSED]
    if stale:
        raise ValidationError(
            _("Có đề nghị vừa được xử lý hoặc chưa được Hội đồng thông qua: %(names)s.")
            % {"names": ", ".join(by_id[n.pk].nominee_name for n in stale)},
            code="conflict",
        )
    return [by_id[n.pk] for n in locked]


def decision_issue(
    *,
    actor: User,
    nominations,
    decided_on: date | None = None,
    signed_at: datetime | None = None,
    number: int | None = None,
) -> AwardDecision:
    """Approve passed nominations in one award decision (Quyết định khen thưởng).

    Only the chairman or a vice-chairman. The nominations are locked first, so of two
    approvals at the same moment one issues the decision and the other is told they were
    just approved. The decision takes ``number`` (typed from the văn thư's register; an
    organisation that numbers from its register must give one) or the next number of the
    organisation's sequence; its amounts follow the rules in force on the decision date
    (each form's multiplier × the base salary, rounded as the decree says), and its DOCX
    and PDF are frozen as issued. The decision is numbered and recorded in one short
    transaction; its files are made afterwards, holding no lock, so another decision of
    the organisation need not wait for this one's rendering.
    """
    with transaction.atomic():
        decision = _decision_issue(
            actor=actor,
            nominations=nominations,
            decided_on=decided_on,
            signed_at=signed_at,
            number=number,
        )
    documents.document_render_after(decision.issued_document, actor)
    decision.issued_document.refresh_from_db()
    return decision


def _check_decision_date(decided_on: date, *, signed_on: date, nominations) -> None:
    """A decision is dated on or before the day it is signed (a later date would take a
    number of a year not yet begun and price the awards at rates not yet in force), and
    not before the council meeting that passed its nominations."""
    if decided_on > signed_on:
        raise ValidationError(
            {
                "decided_on": _("Ngày quyết định không được sau ngày ký (%(day)s).")
                % {"day": f"{signed_on:%d/%m/%Y}"}
            }
        )
    met = Vote.objects.filter(nomination__in=nominations).aggregate(last=Max("meeting__held_on"))[
        "last"
    ]
    if met is not None and decided_on < met:
        raise ValidationError(
            {
                "decided_on": _("Ngày quyết định không được trước ngày Hội đồng họp xét (%(day)s).")
                % {"day": f"{met:%d/%m/%Y}"}
            }
        )


def _decision_issue(*, actor, nominations, decided_on, signed_at, number) -> AwardDecision:
    nominations = list(nominations)
    if not nominations:
        raise ValidationError(_("Hãy chọn ít nhất một đề nghị."))
    organization_id = nominations[0].organization_id
    require(is_signer, actor, nominations[0])
    locked = _locked_passed(nominations, organization_id)
    campaigns = {n.campaign_id for n in locked}
    if len(campaigns) != 1:
        raise ValidationError(
            _("Một quyết định chỉ khen thưởng các đề nghị của cùng một phong trào.")
        )
    higher = [n for n in locked if n.award_form.level != AwardForm.Level.COMMUNE]
    if higher:
        raise ValidationError(
            _("Các hình thức sau do cấp trên quyết định, hãy gửi đề nghị lên cấp trên: %(names)s.")
            % {"names": ", ".join(f"{n.nominee_name} ({n.award_form.name})" for n in higher)}
        )
    seal_time_fixed = signed_at is not None
    signed_at = signed_at or timezone.now()
    decided_on = decided_on or timezone.localdate(signed_at)
    _check_decision_date(decided_on, signed_on=timezone.localdate(signed_at), nominations=locked)
    salary, priced = price(locked, decided_on)
    decision = _issue_decision(
        seal_time_fixed=seal_time_fixed,
        actor=actor,
        organization=locked[0].organization,
        campaign=locked[0].campaign,
        decided_on=decided_on,
        signed_at=signed_at,
        number=number,
        salary=salary,
        priced=priced,
    )
    for item in priced:
        nomination_transition(
            actor=actor,
            nomination=item.nomination,
            to=Status.APPROVED,
            reason=decision.issued_document.number_symbol,
        )
    return decision


def _issue_decision(
    *,
    actor,
    organization,
    campaign,
    decided_on,
    signed_at,
    number,
    salary,
    priced,
    replaces: AwardDecision | None = None,
    reason: str = "",
    seal_time_fixed: bool = False,
) -> AwardDecision:
    """Number and freeze the decision's document, then record the decision and its awards."""
    from awards.documents import decision_document

    if number is None and organization.numbers_from_register:
        raise ValidationError({"number": register_number_required()}, code="number_required")
    spec = decision_document(
        organization=organization,
        campaign=campaign,
        decided_on=decided_on,
        signer=actor,
        vice=signs_for_chairman.test(actor, organization),
        priced=priced,
        base_salary=salary,
        signed_at=signed_at,
        replaces=replaces,
        replacement_reason=reason,
    )
    issued = documents.document_reserve(
        actor=actor,
        organization=organization,
        kind=DocumentKind.DECISION,
        year=decided_on.year,
        number=number,
        spec=spec,
        source=campaign,
        signatures=[
            (signature.label, signature.name, actor, signature.signed_at)
            for signature in spec.signature.signatures
        ],
        replaces=replaces.issued_document if replaces is not None else None,
        seal_time_fixed=seal_time_fixed,
    )
    decision = AwardDecision.objects.create(
        organization=organization,
        campaign=campaign,
        issued_document=issued,
        decided_on=decided_on,
        signer=actor,
        base_salary_vnd=salary.amount_vnd,
        total_vnd=sum(item.amount_vnd for item in priced),
        replaces=replaces,
        replacement_reason=reason,
    )
    Award.objects.bulk_create(
        Award(
            decision=decision,
            organization=organization,
            nomination=item.nomination,
            award_form=item.nomination.award_form,
            recipient_name=item.nomination.nominee_name,
            recipient_detail=recipient_detail(item.nomination),
            recipient_kind=item.nomination.recipient_kind,
            multiplier=item.multiplier,
            amount_vnd=item.amount_vnd,
            position=index,
        )
        for index, item in enumerate(priced, start=1)
    )
    audit_record(
        actor=actor,
        action="award.decision",
        obj=decision,
        organization=organization,
        note=_("Quyết định số %(number)s: %(count)s khen thưởng, %(total)s đồng")
        % {
            "number": issued.number_symbol,
            "count": len(priced),
            "total": thousands(decision.total_vnd),
        },
    )
    return decision


@dataclass(frozen=True)
class Correction:
    """A person's name or position as they should read (individuals and households)."""

    award_id: int
    person_name: str
    person_position: str = ""


def decision_replace(
    *,
    actor: User,
    decision: AwardDecision,
    reason: str,
    corrections: list[Correction] = (),
    decided_on: date | None = None,
    signed_at: datetime | None = None,
    number: int | None = None,
) -> AwardDecision:
    """Correct an issued decision the only lawful way: a new decision that replaces it and
    names it (decree 30/2020, art. 18). The original's files never change and both stay
    listed; its awards are kept, marked as replaced. The new decision awards the same
    people (less any revoked award), with the names and positions corrected, at the
    amounts the original fixed on its date.

    Only the chairman or a vice-chairman, with a reason; a decision already replaced is
    refused (replace the newest one).
    """
    with transaction.atomic():
        replacement = _decision_replace(
            actor=actor,
            decision=decision,
            reason=reason,
            corrections=corrections,
            decided_on=decided_on,
            signed_at=signed_at,
            number=number,
        )
    documents.document_render_after(replacement.issued_document, actor)
    replacement.issued_document.refresh_from_db()
    return replacement


def _decision_replace(
    *, actor, decision, reason, corrections, decided_on, signed_at, number
) -> AwardDecision:
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do thay thế.")})
    require(is_signer, actor, decision)
    original = (
        AwardDecision.objects.select_for_update()
        .select_related("organization", "campaign", "issued_document")
        .get(pk=decision.pk)
    )
    if AwardDecision.objects.filter(replaces=original).exists():
        raise ValidationError(
            _("Quyết định này đã được thay thế; hãy thay thế quyết định mới nhất."),
            code="conflict",
        )
    awards = list(
        original.awards.filter(revoked_at__isnull=True, superseded=False)
        .select_related("nomination__unit", "nomination__registration", "award_form")
        .order_by("position")
    )
    if not awards:
        raise ValidationError(_("Quyết định không còn khen thưởng nào để thay thế."))
    by_award = {correction.award_id: correction for correction in corrections}
    for award in awards:
        correction = by_award.get(award.pk)
        nomination = award.nomination
        if correction is None or nomination.kind not in (Kind.INDIVIDUAL, Kind.HOUSEHOLD):
            continue
        name, position = (
            nfc(correction.person_name).strip(),
            nfc(correction.person_position).strip(),
        )
        if not name:
            raise ValidationError({"person_name": _("Hãy ghi họ và tên.")})
        if (name, position) != (nomination.person_name, nomination.person_position):
            audit_record(
                actor=actor,
                action="nomination.correct",
                obj=nomination,
                changes={
                    "person_name": [nomination.person_name, name],
                    "person_position": [nomination.person_position, position],
                },
                note=reason,
            )
            nomination.person_name, nomination.person_position = name, position
            nomination.nominee_key = _nominee_key(
                nomination.kind, nomination.unit, name, nomination.registration
            )
            nomination.save(update_fields=["person_name", "person_position", "nominee_key"])
    Award.objects.filter(pk__in=[award.pk for award in awards]).update(superseded=True)
    seal_time_fixed = signed_at is not None
    signed_at = signed_at or timezone.now()
    return _issue_decision(
        seal_time_fixed=seal_time_fixed,
        actor=actor,
        organization=original.organization,
        campaign=original.campaign,
        decided_on=decided_on or timezone.localdate(signed_at),
        signed_at=signed_at,
        number=number,
        salary=base_salary_on(original.decided_on),
        priced=[Priced(award.nomination, award.multiplier, award.amount_vnd) for award in awards],
        replaces=original,
        reason=reason,
    )


def recipient_detail(nomination: Nomination) -> str:
    if nomination.kind == Kind.INDIVIDUAL:
        parts = [nomination.person_position, nomination.unit.name if nomination.unit_id else ""]
        return ", ".join(part for part in parts if part)
    if nomination.kind == Kind.MODEL:
        registration = nomination.registration
        if registration is not None and registration.owner_kind == registration.Owner.INDIVIDUAL:
            # A model of a person: the person, as the registration form names them.
            parts = [registration.owner_name, registration.owner_position, nomination.unit.name]
            return ", ".join(part for part in parts if part)
        return nomination.unit.name
    if nomination.kind == Kind.HOUSEHOLD:
        return nomination.unit.name if nomination.unit_id else ""
    return ""


@transaction.atomic
def nominations_reject(*, actor: User, nominations, reason: str) -> int:
    """The chairman declines passed nominations, with a reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    nominations = list(nominations)
    if not nominations:
        return 0
    for nomination in _locked_passed(nominations, nominations[0].organization_id):
        nomination_transition(actor=actor, nomination=nomination, to=Status.REJECTED, reason=reason)
    return len(nominations)


@transaction.atomic
def award_revoke(*, actor: User, award: Award, reason: str) -> Award:
    """Revoke one award of an issued decision. The decision and its files stay as issued;
    the award keeps its row with who revoked it, when and why."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    require(is_signer, actor, award)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do thu hồi.")})
    moved = Award.objects.filter(pk=award.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revoked_reason=reason
    )
    if not moved:
        raise ValidationError(_("Khen thưởng này đã được thu hồi."), code="conflict")
    award.refresh_from_db()
    audit_record(actor=actor, action="award.revoke", obj=award, note=reason)
    return award


# Escalations ---------------------------------------------------------------------------------


@transaction.atomic
def escalation_send(
    *, actor: User, nomination: Nomination, sent_to: str, sent_on: date, reference: str = ""
) -> Escalation:
    """Record that a passed nomination for a higher-level award was sent up."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_form")
        .get(pk=nomination.pk)
    )
    if nomination.award_form.level != AwardForm.Level.HIGHER:
        raise ValidationError(
            _("Hình thức này do Chủ tịch UBND cấp xã quyết định, không cần gửi cấp trên.")
        )
    nomination_transition(actor=actor, nomination=nomination, to=Status.ESCALATED, reason=sent_to)
    escalation = Escalation.objects.create(
        nomination=nomination,
        organization_id=nomination.organization_id,
        sent_to=nfc(sent_to).strip(),
        sent_on=sent_on,
        reference=reference.strip(),
    )
    audit_record(
        actor=actor, action="escalation.send", obj=escalation, organization=nomination.organization
    )
    return escalation


@transaction.atomic
def escalation_record_outcome(
    *, actor: User, escalation: Escalation, approved: bool, outcome_on: date, note: str = ""
) -> Escalation:
    """The level above's answer to an escalation, recorded once: by the commune's office,
    or by the level above itself when the proposal travelled to it through the portal."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    require(is_office | is_level_above, actor, escalation)
    if escalation.status != Escalation.Status.SENT:
        raise ValidationError(ESCALATION_WORKFLOW.conflict, code="conflict")
    target = Escalation.Status.APPROVED if approved else Escalation.Status.REFUSED
    ESCALATION_WORKFLOW.move(
        actor=actor,
        obj=escalation,
        to=target,
        updates={"outcome_on": outcome_on, "outcome_note": nfc(note).strip()},
        audit=False,
    )
    escalation.refresh_from_db()
    audit_record(
        actor=actor,
        action="escalation.outcome",
        obj=escalation,
        organization=escalation.nomination.organization,
        changes={"status": [Escalation.Status.SENT, target]},
        note=note,
    )
    return escalation
