"""Reads about campaigns that pages, exports and the plan document share."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.accounts.models import Membership, Organization
from danvan.documents.models import DocumentKind
from danvan.documents.selectors import citations_in_force, lapsed_citations


def campaign_list(*, organization: Organization, include_drafts: bool) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.filter(organization=organization).select_related(
        "issued_document", "stage"
    )
    if not include_drafts:
        campaigns = campaigns.exclude(status=Campaign.Status.DRAFT)
    return campaigns.order_by("-year", "name")


def stage_campaigns(stage: Campaign) -> QuerySet[Campaign]:
    """The yearly campaigns of a stage, in year order."""
    return (
        Campaign.objects.filter(stage=stage)
        .select_related("issued_document")
        .order_by("year", "name")
    )


def campaigns_in_force(*, organization: Organization) -> QuerySet[Campaign]:
    """Issued campaigns, newest first: what the home page reports on."""
    return Campaign.objects.filter(
        organization=organization, status=Campaign.Status.ISSUED
    ).order_by("-year", "name")


@dataclass
class PlanItem:
    item: Item
    children: list[Item] = field(default_factory=list)


@dataclass
class PlanSection:
    section: Section
    items: list[PlanItem] = field(default_factory=list)


@dataclass
class PlanParts:
    legal_bases: list[LegalBasis]
    sections: list[PlanSection]
    # Texts every plan of the organisation cites on its date (danvan.documents.Citation).
    citations: list = field(default_factory=list)
    # The plan's own bases that name a text no longer in force on its date, with that text.
    lapsed: list = field(default_factory=list)
    # A letter (công văn) may be plain paragraphs, without numbered sections.
    letter: bool = False
    has_text: bool = False

    def problems(self) -> list[str]:
        """Reasons the plan cannot be issued yet, for the editor and the issue form."""
        from django.utils.translation import gettext as _

        found = []
        for basis, citation in self.lapsed:
            found.append(
                _(
                    "Căn cứ “%(basis)s” đã hết hiệu lực từ ngày %(date)s; hãy thay bằng văn bản "
                    "đang có hiệu lực."
                )
                % {"basis": basis.reference, "date": f"{citation.valid_to:%d/%m/%Y}"}
            )
        if self.letter and not (self.sections or self.has_text):
            found.append(_("Công văn chưa có nội dung: hãy viết đoạn mở đầu hoặc thêm mục."))
        elif not self.sections and not self.letter:
            found.append(_("Kế hoạch chưa có mục nào."))
        for number, part in enumerate(self.sections, start=1):
            if not part.items:
                found.append(
                    _("Mục %(number)s “%(title)s” chưa có điểm nào.")
                    % {"number": roman(number), "title": part.section.title}
                )
        return found


def plan_parts(*, campaign: Campaign, day: date | None = None) -> PlanParts:
    """The plan's legal bases and its sections with their items as a tree, the texts it
    cites on ``day`` (its issue date, or today), and any of its own bases that had lapsed
    by then (five queries). A plan of the Party committee or the Front cites only the
    bases typed in it: the People's Committee's citations are not its own."""
    day = day or campaign.plan_issue_date or timezone.localdate()
    legal_bases = list(campaign.legal_bases.order_by("position", "pk"))
    citations = (
        []
        if campaign.issuing_body_id
        else citations_in_force(
            organization=campaign.organization, document_kind=DocumentKind.PLAN, day=day
        )
    )
    ended = lapsed_citations(
        organization=campaign.organization, numbers=[basis.number for basis in legal_bases], day=day
    )
    lapsed = [
        (basis, ended[basis.number.strip().lower()])
        for basis in legal_bases
        if basis.number.strip().lower() in ended
    ]
    sections = list(
        campaign.sections.order_by("position", "pk").prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position", "pk"), to_attr="all_items")
        )
    )
    parts = []
    for section in sections:
        top = [PlanItem(item) for item in section.all_items if item.parent_id is None]
        by_id = {plan_item.item.pk: plan_item for plan_item in top}
        for item in section.all_items:
            if item.parent_id in by_id:
                by_id[item.parent_id].children.append(item)
        parts.append(PlanSection(section=section, items=top))
    return PlanParts(
        legal_bases=legal_bases,
        sections=parts,
        citations=citations,
        lapsed=lapsed,
        letter=campaign.document_kind == Campaign.DocumentKind.LETTER,
        has_text=bool(campaign.plan_introduction.strip() or campaign.plan_closing.strip()),
    )


def chairman_of(organization: Organization) -> Membership | None:
    return (
        Membership.objects.filter(organization=organization, role=Membership.Role.CHAIRMAN)
        .select_related("user")
        .order_by("pk")
        .first()
    )


ROMAN_NUMERALS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(number: int) -> str:
    result = []
    for value, letters in ROMAN_NUMERALS:
        count, number = divmod(number, value)
        result.append(letters * count)
    return "".join(result)


def letter(number: int) -> str:
    """a, b, c, … for sub-points (Vietnamese documents skip no letters here)."""
    return "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26]
