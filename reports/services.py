"""Writes of the reports app: the review report's draft, its edits and its issue."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Section
from danvan.accounts.models import Membership, User
from danvan.accounts.rules import is_office, is_signer, require
from danvan.audit.services import audit_record
from danvan.documents import services as documents
from danvan.documents.models import DocumentKind
from danvan.documents.parts import digital_signatures
from danvan.documents.services import register_number_required
from danvan.text import nfc
from danvan.workflow import check_version
from notifications.models import Kind
from notifications.services import notify
from reports.documents import report_document, report_signature, review_statistics
from reports.models import ReviewReport

EDITABLE = ("subject", "situation", "results", "shortcomings", "tasks_ahead", "recipients")
# The plan's section that states its aims ("I. MỤC ĐÍCH, YÊU CẦU" in plan 46/KH-UBND).
AIMS_WORDS = ("mục đích", "yêu cầu")


def default_subject(campaign: Campaign, kind: str) -> str:
    what = "Sơ kết" if kind == ReviewReport.Kind.MID_YEAR else "Tổng kết"
    if campaign.is_stage:
        when = "giữa giai đoạn" if kind == ReviewReport.Kind.MID_YEAR else "giai đoạn"
        return f"{what} {when} phong trào thi đua “Dân vận khéo” giai đoạn {campaign.years_label}"
    period = "6 tháng đầu năm" if kind == ReviewReport.Kind.MID_YEAR else "năm"
    return f"{what} {period} {campaign.year} phong trào thi đua “Dân vận khéo”"


def plan_aims(campaign: Campaign) -> str:
    """The points of the plan's aims section (its first section when none is titled so),
    one paragraph each (two queries)."""
    sections = list(campaign.sections.order_by("position", "pk"))
    if not sections:
        return ""
    chosen = next(
        (s for s in sections if any(word in s.title.lower() for word in AIMS_WORDS)), sections[0]
    )
    items = Section.objects.get(pk=chosen.pk).items.order_by("parent_id", "position", "pk")
    lines = [
        " ".join(part for part in (item.lead.strip(), item.text.strip()) if part)
        for item in items.filter(parent__isnull=True)
    ]
    return "\n".join(lines)


def review_report_start(*, actor: User, campaign: Campaign, kind: str) -> ReviewReport:
    """The campaign's report of ``kind``, created as a draft prefilled from the plan the
    first time (office staff only; the campaign must be issued). Calling it again returns
    the existing report, also when two clicks arrive together."""
    require(is_office, actor, campaign)
    if campaign.is_draft:
        raise ValidationError(_("Kế hoạch chưa ban hành; chưa lập báo cáo được."), code="draft")
    if kind not in ReviewReport.Kind.values:
        raise ValidationError(_("Loại báo cáo không hợp lệ."), code="kind")
    existing = ReviewReport.objects.filter(campaign=campaign, kind=kind).first()
    if existing is not None:
        return existing
    report = ReviewReport(
        organization=campaign.organization,
        campaign=campaign,
        kind=kind,
        subject=default_subject(campaign, kind),
        situation=plan_aims(campaign),
        results=_(
            "Các cơ quan, đơn vị đã triển khai đăng ký, xây dựng mô hình “Dân vận khéo”; kết "
            "quả cụ thể như sau:"
        ),
        recipients=campaign.recipients or "Lưu: VT.",
        created_by=actor,
    )
    try:
        with transaction.atomic():
            report.save()
            audit_record(actor=actor, action="review_report.create", obj=report)
    except IntegrityError:
        return ReviewReport.objects.get(campaign=campaign, kind=kind)
    return report


def _locked(report: ReviewReport) -> ReviewReport:
    return (
        ReviewReport.objects.select_for_update(of=("self",))
        .select_related("organization", "campaign")
        .get(pk=report.pk)
    )


@transaction.atomic
def review_report_update(
    *, actor: User, report: ReviewReport, data: dict, expected_version: int | None
) -> ReviewReport:
    """Save the office's edits of a draft report; an edit made on an older version is
    refused (``StaleEdit``), an issued report never changes."""
    require(is_office, actor, report)
    report = _locked(report)
    check_version(report, expected_version)
    if report.is_issued:
        raise ValidationError(_("Báo cáo đã ban hành; không sửa được nữa."), code="issued")
    changes = {}
    for name in EDITABLE:
        value = nfc(data.get(name, getattr(report, name)) or "").strip()
        if value != getattr(report, name):
            changes[name] = [getattr(report, name), value]
            setattr(report, name, value)
    if not report.subject:
        raise ValidationError({"subject": _("Hãy nhập trích yếu của báo cáo.")}, code="required")
    report.version += 1
    report.save(update_fields=[*EDITABLE, "version", "updated_at"])
    audit_record(actor=actor, action="review_report.update", obj=report, changes=changes)
    return report


@transaction.atomic
def review_report_send_for_signature(*, actor: User, report: ReviewReport) -> ReviewReport:
    """The office sends the draft to the chairman and the vice-chairmen to read and sign:
    each is told (a notification, e-mailed as they chose) and finds it among their work.
    The draft stays the office's to correct; sending it again tells them again."""
    require(is_office, actor, report)
    report = _locked(report)
    if report.is_issued:
        raise ValidationError(_("Báo cáo này đã được ban hành."), code="issued")
    report.sent_for_signature_at = timezone.now()
    # The text is unchanged: sent twice (two clicks), it is one event for the signers;
    # after an edit (a new version), a new one.
    report.save(update_fields=["sent_for_signature_at", "updated_at"])
    audit_record(actor=actor, action="review_report.send_for_signature", obj=report)
    notify(
        organization=report.organization,
        recipients=Membership.objects.filter(
            organization=report.organization,
            role__in=[Membership.Role.CHAIRMAN, Membership.Role.VICE_CHAIRMAN],
            user__is_active=True,
        ).values_list("user_id", flat=True),
        kind=Kind.REPORT_FOR_SIGNATURE,
        event_key=f"report_for_signature:{report.pk}:{report.version}",
        url=report.get_absolute_url(),
        params={"subject": report.subject},
    )
    return report


def review_report_issue(
    *,
    actor: User,
    report: ReviewReport,
    number: int | None = None,
    signed_at: datetime | None = None,
) -> ReviewReport:
    """Sign and issue the report: a chairman or vice-chairman of the organisation only.

    The statistics are read and frozen with the text; the report is numbered in the
    organisation's sequence for reports (BC) — or takes ``number`` from the văn thư's
    register — in one short transaction, and its DOCX and PDF are made after it, as every
    issued document (``danvan.documents.services``). An issued report never changes.
    """
    with transaction.atomic():
        report = _locked(report)
        require(is_signer, actor, report)
        if report.is_issued:
            raise ValidationError(_("Báo cáo này đã được ban hành."), code="conflict")
        organization = report.organization
        if number is None and organization.numbers_from_register:
            raise ValidationError({"number": register_number_required()}, code="number_required")
        signed_at = signed_at or timezone.now()
        issue_date = timezone.localdate(signed_at)
        signatures = digital_signatures(
            signer_name=actor.full_name, body_name=organization.name, signed_at=signed_at
        )
        spec = report_document(
            report,
            review_statistics(report.campaign, report.kind),
            signature=report_signature(report, actor, signatures),
            issue_date=issue_date,
            draft=False,
        )
        issued = documents.document_reserve(
            actor=actor,
            organization=organization,
            kind=DocumentKind.REPORT,
            year=issue_date.year,
            number=number,
            spec=spec,
            source=report,
            signatures=[
                (sig.label, sig.name, actor if index == 0 else None, sig.signed_at)
                for index, sig in enumerate(signatures)
            ],
        )
        report.issued_document = issued
        report.version += 1
        report.save(update_fields=["issued_document", "version", "updated_at"])
        audit_record(
            actor=actor, action="review_report.issue", obj=report, note=issued.number_symbol
        )
    documents.document_render_after(issued, actor)
    report.issued_document.refresh_from_db()
    return report
