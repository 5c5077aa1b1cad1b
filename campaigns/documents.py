"""The launch plan as an official document (decree 30 layout), built from a campaign."""

from datetime import date

from campaigns.models import Campaign
from campaigns.selectors import PlanParts, letter, roman
from danvan.accounts.models import User
from danvan.documents.layout import OfficialDocument, Paragraph, Run, Signature, SignatureBlock
from danvan.documents.models import DocumentKind
from danvan.documents.parts import Issuer, body_issuer, body_signature, issuer_of, leader_signature
from danvan.documents.tasks import register_builder

PLAN_TITLE = "KẾ HOẠCH"
# The title each kind of launching document prints; a công văn prints none.
KIND_TITLES = {
    Campaign.DocumentKind.PLAN: PLAN_TITLE,
    Campaign.DocumentKind.GUIDANCE: "HƯỚNG DẪN",
    Campaign.DocumentKind.LETTER: "",
}


def plan_issuer(campaign: Campaign) -> Issuer:
    """Who launches the campaign: its body (the Party committee, the Front), or the
    People's Committee."""
    if campaign.issuing_body_id:
        return body_issuer(campaign.issuing_body)
    return issuer_of(campaign.organization)


def plan_symbol(campaign: Campaign) -> str:
    return plan_issuer(campaign).symbol_for(campaign.document_kind or DocumentKind.PLAN)


def body_signature_block(campaign: Campaign, name: str, *, deputy: bool = False) -> SignatureBlock:
    """The signature of a document the Party committee or the Front issues (on paper)."""
    return body_signature(campaign.issuing_body, name, deputy=deputy)


def signature_block(
    campaign: Campaign,
    signer: User | None,
    signatures: tuple[Signature, ...] = (),
    deputy: bool | None = None,
) -> SignatureBlock:
    """The plan's signature: the campaign's signing mode says whether the chairman signs
    on behalf of the committee ("TM. ỦY BAN NHÂN DÂN")."""
    return leader_signature(
        campaign.organization,
        signer,
        on_behalf=campaign.signing_mode == Campaign.SigningMode.ON_BEHALF,
        signatures=signatures,
        deputy=deputy,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def plan_body(campaign: Campaign, parts: PlanParts) -> tuple:
    body = []
    bases = [citation.text[: -len(";")].removeprefix("Căn cứ ") for citation in parts.citations]
    bases += [basis.reference for basis in parts.legal_bases]
    for index, basis in enumerate(bases):
        ending = "." if index == len(bases) - 1 else ";"
        body.append(Paragraph.of(f"Căn cứ {basis}{ending}", style="basis"))
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
    kind_title = KIND_TITLES.get(campaign.document_kind, PLAN_TITLE)
    return OfficialDocument(
        **plan_issuer(campaign).header(),
        kind_title=kind_title,
        subject=campaign.plan_subject,
        date=issue_date if issue_date is not None else campaign.plan_issue_date,
        number=number if number is not None else campaign.plan_number,
        symbol=plan_symbol(campaign),
        body=plan_body(campaign, parts),
        recipients=tuple(campaign.recipient_lines),
        signature=signature,
        draft=draft,
        title=f"{kind_title or 'CÔNG VĂN'} {campaign.plan_subject}",
    )


@register_builder("campaign_plan_draft")
def plan_draft_for_job(*, organization, campaign_id: int) -> tuple[OfficialDocument, str]:
    """The plan as a draft, for a background job (``danvan.documents.tasks``)."""
    from campaigns import selectors

    campaign = Campaign.objects.select_related("organization").get(
        pk=campaign_id, organization=organization
    )
    chairman = selectors.chairman_of(organization)
    document = plan_document(
        campaign,
        selectors.plan_parts(campaign=campaign),
        signature=signature_block(campaign, chairman.user if chairman else None),
        draft=True,
    )
    return document, f"Dự thảo kế hoạch {campaign.year}"
