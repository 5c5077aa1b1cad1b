"""The launch plan as an official document (decree 30 layout), built from a campaign."""

from datetime import date, datetime

from campaigns.models import Campaign
from campaigns.selectors import PlanParts, letter, roman
from danvan.documents.layout import (
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    SignatureBlock,
)
from danvan.documents.models import DocumentKind

PLAN_TITLE = "KẾ HOẠCH"
CHAIRMAN_TITLE = "CHỦ TỊCH"
VICE_CHAIRMAN_TITLE = "PHÓ CHỦ TỊCH"


def plan_symbol(campaign: Campaign) -> str:
    return f"{DocumentKind.PLAN.value}-{campaign.organization.symbol}"


def signature_block(
    campaign: Campaign, *, signer_name: str, vice: bool, signatures: tuple[Signature, ...] = ()
) -> SignatureBlock:
    """Chairman: "CHỦ TỊCH" (or "TM. ỦY BAN NHÂN DÂN" above it); vice-chairman: "KT. CHỦ TỊCH"."""
    if vice:
        return SignatureBlock(
            mode_line=f"KT. {CHAIRMAN_TITLE}",
            title=VICE_CHAIRMAN_TITLE,
            name=signer_name,
            signatures=signatures,
        )
    mode_line = ""
    if campaign.signing_mode == Campaign.SigningMode.ON_BEHALF:
        collective = (
            campaign.organization.header_lines[0] if campaign.organization.header_lines else ""
        )
        mode_line = f"TM. {collective.upper()}"
    return SignatureBlock(
        mode_line=mode_line, title=CHAIRMAN_TITLE, name=signer_name, signatures=signatures
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def plan_body(campaign: Campaign, parts: PlanParts) -> tuple:
    body = []
    bases = parts.legal_bases
    for index, basis in enumerate(bases):
        ending = "." if index == len(bases) - 1 else ";"
        body.append(Paragraph.of(f"Căn cứ {basis.reference}{ending}", style="basis"))
    body.extend(Paragraph.of(line) for line in _lines(campaign.plan_introduction))
    for number, part in enumerate(parts.sections, start=1):
        body.append(Paragraph.of(f"{roman(number)}. {part.section.title.upper()}", style="heading"))
        for item_number, plan_item in enumerate(part.items, start=1):
            body.append(_point(f"{item_number}.", plan_item.item))
            for child_number, child in enumerate(plan_item.children, start=1):
                body.append(_point(f"{letter(child_number)}.", child))
    body.extend(Paragraph.of(line) for line in _lines(campaign.plan_closing))
    return tuple(body)


def _point(label: str, item) -> Paragraph:
    if item.lead:
        runs = (Run(f"{label} {item.lead.strip()}", bold=True), Run(f" {item.text.strip()}"))
    else:
        runs = (Run(f"{label} {item.text.strip()}"),)
    return Paragraph(runs=runs)


def plan_document(
    campaign: Campaign,
    parts: PlanParts,
    *,
    signature: SignatureBlock,
    number: int | None = None,
    issue_date: date | None = None,
    draft: bool,
) -> OfficialDocument:
    organization = campaign.organization
    return OfficialDocument(
        header_parent=organization.header_parent,
        header_lines=tuple(organization.header_lines),
        kind_title=PLAN_TITLE,
        subject=campaign.plan_subject,
        place=organization.place_name,
        date=issue_date if issue_date is not None else campaign.plan_issue_date,
        number=number if number is not None else campaign.plan_number,
        symbol=plan_symbol(campaign),
        body=plan_body(campaign, parts),
        recipients=tuple(campaign.recipient_lines),
        signature=signature,
        draft=draft,
        title=f"{PLAN_TITLE} {campaign.plan_subject}",
    )


def signature_entries(
    *, signer_name: str, organization_name: str, signed_at: datetime, sealed_at: datetime
) -> tuple[Signature, ...]:
    """The signer's digital signature, then the issuing body's (the office applies it)."""
    return (
        Signature(label="Ký số", name=signer_name, signed_at=signed_at),
        Signature(label="Ký số cơ quan ban hành", name=organization_name, signed_at=sealed_at),
    )
