"""Every change to campaigns and their plans.

Status changes go through ``campaign_transition`` only: it checks the allowed-transitions
table and the actor's right, and updates with a condition on the current status, so two
clicks at once cannot both win.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.documents import body_signature_block, plan_document, signature_block
from campaigns.models import Campaign, Item, LegalBasis, Section
from campaigns.rules import issues_plan
from campaigns.selectors import plan_parts
from campaigns.signals import campaign_cloned, plan_sent_for_signature
from danvan.accounts.models import Organization, User
from danvan.accounts.rules import is_office, require
from danvan.audit.services import audit_record, changes_between, snapshot
from danvan.documents import services as documents
from danvan.documents.parts import digital_signatures
from danvan.documents.services import register_number_required
from danvan.text import nfc
from danvan.workflow import Move, Workflow, save_versioned

Status = Campaign.Status

CAMPAIGN_FIELDS = (
    "year",
    "name",
    "form",
    "registration_opens",
    "registration_deadline",
    "mid_year_review_starts",
    "mid_year_review_ends",
    "year_end_review_starts",
    "year_end_review_ends",
    "nomination_deadline",
    "plan_number",
    "plan_issue_date",
    "plan_subject",
    "plan_introduction",
    "plan_closing",
    "recipients",
    "signing_mode",
    "issuing_body",
    "document_kind",
    "stage",
    "end_year",
)
DATE_FIELDS = CAMPAIGN_FIELDS[3:10]

WORKFLOW = Workflow(
    model=Campaign,
    name="campaign",
    moves=[
        # Made by campaign_issue, which signs and numbers the plan.
        Move(Status.DRAFT, Status.ISSUED, issues_plan),
        Move(Status.ISSUED, Status.CLOSED, is_office, label=gettext_lazy("Kết thúc phong trào")),
    ],
    noun=gettext_lazy("phong trào"),
    conflict=gettext_lazy("Phong trào vừa được người khác cập nhật; hãy tải lại trang."),
)
DEFAULT_SECTIONS = (
    "MỤC ĐÍCH, YÊU CẦU",
    "NỘI DUNG",
    "TIÊU CHÍ XÂY DỰNG ĐIỂN HÌNH “DÂN VẬN KHÉO”",
    "TỔ CHỨC THỰC HIỆN",
)


def _locked_draft(campaign: Campaign) -> Campaign:
    """Lock the campaign row and make sure its plan may still change."""
    locked = Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError(_("Kế hoạch đã ban hành; không sửa được nữa."), code="not_draft")
    return locked


def _in_stage(stage: Campaign, year: int) -> bool:
    return stage.year <= year <= (stage.end_year or stage.year)


def _stage_without_registration(campaign: Campaign) -> None:
    """A stage takes no registrations: its window is its first day, closed at once."""
    if campaign.year:
        campaign.registration_opens = campaign.registration_deadline = date(campaign.year, 1, 1)
    campaign.stage = None


@transaction.atomic
def campaign_create(
    *, actor: User, organization: Organization, data: dict, kind: str = Campaign.Kind.YEARLY
) -> Campaign:
    """A new draft campaign with the four usual plan sections (none for a letter), still
    without points. A
    stage (``kind`` STAGE, e.g. 2026–2030) has its plan and its mid-stage and final reviews
    but no registration window: the yearly campaigns in it take registrations."""
    require(is_office, actor, organization)
    campaign = Campaign(organization=organization, created_by=actor, kind=kind)
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    if campaign.is_stage:
        _stage_without_registration(campaign)
    campaign.full_clean()
    campaign.save()
    if campaign.document_kind != Campaign.DocumentKind.LETTER:
        # A letter is written as paragraphs; sections are added only if it needs them.
        Section.objects.bulk_create(
            Section(campaign=campaign, position=index, title=title)
            for index, title in enumerate(DEFAULT_SECTIONS, start=1)
        )
    audit_record(
        actor=actor,
        action="campaign.create",
        obj=campaign,
        changes=changes_between({}, snapshot(campaign, CAMPAIGN_FIELDS)),
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, actor: User, campaign: Campaign, data: dict, expected_version: int
) -> Campaign:
    """Change a draft's fields; refused if someone saved it since ``expected_version``."""
    require(is_office, actor, campaign.organization)
    campaign = _locked_draft(campaign)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    if campaign.is_stage:
        _stage_without_registration(campaign)
    campaign.full_clean()
    changes = changes_between(before, snapshot(campaign, CAMPAIGN_FIELDS))
    save_versioned(campaign, [*changes, "updated_at"], expected_version)
    if changes:
        audit_record(actor=actor, action="campaign.update", obj=campaign, changes=changes)
    return campaign


@transaction.atomic
def campaign_delete(*, actor: User, campaign: Campaign) -> None:
    """Remove a draft that will not be issued, with its plan parts; an issued campaign
    stays forever."""
    require(is_office, actor, campaign)
    campaign = _locked_draft(campaign)
    audit_record(actor=actor, action="campaign.delete", obj=campaign)
    campaign.delete()


def _shift_year(value: date | None, years: int) -> date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _renumber_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


@transaction.atomic
def campaign_clone(*, actor: User, campaign: Campaign, year: int | None = None) -> Campaign:
    """Copy a campaign's plan to a new draft for ``year`` (default: the next year).

    Dates move by the same number of years; the year is updated in the name, subject,
    introduction, closing, section titles and points. Legal bases are copied as they are
    for the office to update. Number, issue date and signatures are not copied.
    """
    require(is_office, actor, campaign.organization)
    source = Campaign.objects.select_related("organization").get(pk=campaign.pk)
    year = year or source.year + 1
    years = year - source.year

    def renumber(text: str) -> str:
        return _renumber_year(text, source.year, year)

    clone = Campaign(
        organization=source.organization,
        year=year,
        name=renumber(source.name),
        form=source.form,
        plan_subject=renumber(source.plan_subject),
        plan_introduction=renumber(source.plan_introduction),
        plan_closing=renumber(source.plan_closing),
        recipients=source.recipients,
        signing_mode=source.signing_mode,
        issuing_body=source.issuing_body,
        document_kind=source.document_kind,
        kind=source.kind,
        end_year=source.end_year + years if source.end_year else None,
        stage=source.stage if source.stage and _in_stage(source.stage, year) else None,
        cloned_from=source,
        created_by=actor,
        **{name: _shift_year(getattr(source, name), years) for name in DATE_FIELDS},
    )
    if clone.name == source.name:
        clone.name = f"{source.name} ({year})"
    clone.full_clean()
    try:
        with transaction.atomic():
            clone.save()
    except IntegrityError:
        # Another click copied it a moment ago: now visible, it is refused with the
        # constraint's own message, as a later click would be.
        clone.validate_constraints()
        raise
    for basis in source.legal_bases.order_by("position", "pk"):
        basis.pk = None
        basis.campaign = clone
        basis.version = 1
        basis.save()
    for section in source.sections.order_by("position", "pk").prefetch_related("items"):
        items = sorted(
            section.items.all(),
            key=lambda item: (item.parent_id is not None, item.position, item.pk),
        )
        section.pk = None
        section.campaign = clone
        section.title = renumber(section.title)
        section.version = 1
        section.save()
        new_ids = {}
        for item in items:
            old_id = item.pk
            item.pk = None
            item.section = section
            item.parent_id = new_ids.get(item.parent_id)
            item.lead = renumber(item.lead)
            item.text = renumber(item.text)
            item.version = 1
            item.save()
            new_ids[old_id] = item.pk
    campaign_cloned.send(sender=Campaign, source=source, clone=clone)
    audit_record(
        actor=actor,
        action="campaign.clone",
        obj=clone,
        note=_("Nhân bản từ “%(name)s”.") % {"name": source.name},
    )
    return clone


def campaign_transition(
    *, actor: User, campaign: Campaign, to: str, note: str = "", **updates
) -> Campaign:
    """Move a campaign to status ``to`` through its workflow (``danvan.workflow``).
    Must run inside a transaction."""
    return WORKFLOW.move(actor=actor, obj=campaign, to=to, note=note, updates=updates)


def campaign_issue(
    *,
    actor: User,
    campaign: Campaign,
    signed_at: datetime | None = None,
    sealed_at: datetime | None = None,
    number: int | None = None,
    signer_name: str = "",
    deputy: bool = False,
) -> Campaign:
    """Sign and issue the plan: number it, freeze its DOCX, PDF and print view, and
    record who signed and when.

    Only a chairman or vice-chairman of the organisation may; the plan must be complete.
    A campaign launched by the Party committee or the Front (``issuing_body``) is signed
    on paper by ``signer_name`` (its head by default; ``deputy`` for the deputy) and
    recorded by office staff, in the body's own layout and register.
    The number is ``number`` (typed at signing from the văn thư's register), else the one
    typed in for a historical plan (refused if already used), else the next of the
    organisation's sequence for the year; an organisation that numbers from its register
    must give one. ``signed_at``/``sealed_at`` are for entering a plan signed elsewhere;
    otherwise they are now. The plan is numbered and marked issued in one short
    transaction, then its files are made (``danvan.documents.services``).
    """
    with transaction.atomic():
        campaign = _campaign_issue(
            actor=actor,
            campaign=campaign,
            signed_at=signed_at,
            sealed_at=sealed_at,
            number=number,
            signer_name=signer_name,
            deputy=deputy,
        )
    documents.document_render_after(campaign.issued_document, actor)
    campaign.issued_document.refresh_from_db()
    return campaign


def _campaign_issue(
    *, actor, campaign, signed_at, sealed_at, number, signer_name="", deputy=False
) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("organization", "issuing_body__organization")
        .get(pk=campaign.pk)
    )
    organization = campaign.organization
    require(issues_plan, actor, campaign)
    if campaign.status != Status.DRAFT:
        raise ValidationError(_("Kế hoạch này đã được ban hành."), code="conflict")
    parts = plan_parts(campaign=campaign)
    problems = parts.problems()
    if problems:
        raise ValidationError(problems, code="incomplete")
    if campaign.issuing_body_id:
        return _record_body_document(
            actor=actor,
            campaign=campaign,
            parts=parts,
            signed_at=signed_at,
            number=number,
            signer_name=signer_name,
            deputy=deputy,
        )
    seal_time_fixed = sealed_at is not None  # entered with its times; else sealed when made
    signed_at = signed_at or timezone.now()
    sealed_at = sealed_at or timezone.now()
    issue_date = campaign.plan_issue_date or timezone.localdate(signed_at)
    year = issue_date.year
    number = number or campaign.plan_number
    if number is None and organization.numbers_from_register:
        raise ValidationError({"number": register_number_required()}, code="number_required")
    signatures = digital_signatures(
        signer_name=actor.full_name,
        body_name=organization.name,
        signed_at=signed_at,
        sealed_at=sealed_at,
    )
    spec = plan_document(
        campaign,
        parts,
        signature=signature_block(campaign, actor, signatures),
        issue_date=issue_date,
        draft=False,
    )
    issued = documents.document_reserve(
        actor=actor,
        organization=organization,
        kind=campaign.document_kind,
        year=year,
        number=number,
        spec=spec,
        source=campaign,
        signatures=[
            (signature.label, signature.name, actor if index == 0 else None, signature.signed_at)
            for index, signature in enumerate(signatures)
        ],
        seal_time_fixed=seal_time_fixed,
    )
    return campaign_transition(
        actor=actor,
        campaign=campaign,
        to=Status.ISSUED,
        note=issued.number_symbol,
        issued_document=issued,
        plan_number=issued.number,
        plan_issue_date=issue_date,
    )


def _record_body_document(
    *, actor, campaign, parts, signed_at, number, signer_name, deputy
) -> Campaign:
    """The Party committee's or the Front's launching document, signed on paper by
    ``signer_name`` and recorded by the office: numbered in the body's own register (the
    number typed from it, or the next), made in the body's layout, with no digital
    signature printed."""
    body = campaign.issuing_body
    signer_name = nfc(signer_name or body.head_name).strip()
    if not signer_name:
        raise ValidationError(
            {"signer_name": _("Hãy ghi họ và tên người đã ký văn bản.")}, code="no_signer"
        )
    # The day written on the signed paper is the document's date; without it, the date
    # the plan was prepared with, or today.
    if signed_at is not None:
        issue_date = timezone.localdate(signed_at)
    else:
        signed_at = timezone.now()
        issue_date = campaign.plan_issue_date or timezone.localdate(signed_at)
    spec = plan_document(
        campaign,
        parts,
        signature=body_signature_block(campaign, signer_name, deputy=deputy),
        issue_date=issue_date,
        draft=False,
    )
    issued = documents.document_reserve(
        actor=actor,
        organization=campaign.organization,
        kind=campaign.document_kind,
        year=issue_date.year,
        number=number or campaign.plan_number,
        spec=spec,
        source=campaign,
        signatures=[],
        body=body,
    )
    return campaign_transition(
        actor=actor,
        campaign=campaign,
        to=Status.ISSUED,
        note=f"{issued.number_symbol} – {signer_name}",
        issued_document=issued,
        plan_number=issued.number,
        plan_issue_date=issue_date,
        plan_signer_name=signer_name,
    )


@transaction.atomic
def campaign_send_for_signature(*, actor: User, campaign: Campaign) -> Campaign:
    """The office sends a draft plan of the People's Committee to the chairman and the
    vice-chairmen to read and sign (``plan_sent_for_signature``); the plan stays a draft
    the office may still correct. Recorded in the audit trail."""
    campaign = _locked_draft(campaign)
    require(is_office, actor, campaign)
    if campaign.issuing_body_id is not None:
        raise ValidationError(
            _("Kế hoạch của cơ quan khác được ký trên giấy; hãy vào sổ văn bản đã ký.")
        )
    campaign.sent_for_signature_at = timezone.now()
    campaign.save(update_fields=["sent_for_signature_at"])
    audit_record(actor=actor, action="campaign.send_for_signature", obj=campaign)
    plan_sent_for_signature.send(sender=Campaign, campaign=campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """End an issued campaign after its year-end review."""
    campaign = (
        Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    )
    return campaign_transition(actor=actor, campaign=campaign, to=Status.CLOSED)


# Plan parts: legal bases, sections and points -----------------------------------

PART_FIELDS = {
    LegalBasis: ("kind", "number", "issued_on", "issuer", "title"),
    Section: ("title",),
    Item: ("lead", "text", "role", "parent"),
}


def _part_campaign(instance) -> Campaign:
    if isinstance(instance, Item):
        return instance.section.campaign
    return instance.campaign


def _siblings(instance):
    if isinstance(instance, Item):
        return Item.objects.filter(section_id=instance.section_id, parent_id=instance.parent_id)
    return type(instance).objects.filter(campaign_id=instance.campaign_id)


@transaction.atomic
def plan_part_save(
    *,
    actor: User,
    instance: LegalBasis | Section | Item,
    data: dict,
    expected_version: int | None = None,
):
    """Create or change a legal basis, section or point of a draft plan.

    New parts go last. A change based on an older version is refused (StaleEdit).
    """
    campaign = _locked_draft(_part_campaign(instance))
    require(is_office, actor, campaign.organization)
    fields = PART_FIELDS[type(instance)]
    creating = instance.pk is None
    if not creating:
        instance = type(instance).objects.get(pk=instance.pk)
    before = {} if creating else snapshot(instance, fields)
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    if isinstance(instance, Item) and instance.parent_id:
        parent = Item.objects.get(pk=instance.parent_id)
        if parent.section_id != instance.section_id or parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("Chỉ chia được một cấp điểm (a., b., …) trong cùng mục.")}
            )
    instance.full_clean()
    if creating:
        last = _siblings(instance).aggregate(last=Max("position"))["last"] or 0
        instance.position = last + 1
        instance.save()
    else:
        save_versioned(instance, fields, expected_version)
    changes = changes_between(before, snapshot(instance, fields))
    name = type(instance)._meta.model_name
    audit_record(
        actor=actor,
        action=f"plan.{name}.{'create' if creating else 'update'}",
        obj=instance,
        organization=campaign.organization,
        changes=changes,
    )
    return instance


@transaction.atomic
def plan_part_delete(*, actor: User, instance: LegalBasis | Section | Item) -> None:
    """Remove a part (a section with its points, a point with its sub-points)."""
    campaign = _locked_draft(_part_campaign(instance))
    require(is_office, actor, campaign.organization)
    audit_record(
        actor=actor,
        action=f"plan.{type(instance)._meta.model_name}.delete",
        obj=instance,
        organization=campaign.organization,
    )
    instance.delete()


@transaction.atomic
def plan_part_move(*, actor: User, instance: LegalBasis | Section | Item, step: int) -> None:
    """Swap a part with its neighbour above (step -1) or below (step +1)."""
    campaign = _locked_draft(_part_campaign(instance))
    require(is_office, actor, campaign.organization)
    siblings = list(_siblings(instance).order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == instance.pk)
    target = index + step
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            type(sibling).objects.filter(pk=sibling.pk).update(position=position)
    audit_record(
        actor=actor,
        action=f"plan.{type(instance)._meta.model_name}.move",
        obj=instance,
        organization=campaign.organization,
        changes={"position": [index + 1, target + 1]},
    )
