"""Reads of the level above: which communes are under a province, and the figures of
the movement across them. Every aggregate is computed by the database; the number of
queries does not depend on the number of communes."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from awards.models import Award
from campaigns.models import Campaign
from danvan.accounts.models import Organization
from evaluations.models import Assignment, Inspection, RatingBand, Round
from models_registry.models import Registration
from province.models import CommuneMembership, Proposal

RegStatus = Registration.Status
# A registration counts as registered once sent; accepted once the office accepted it
# (recognised or not later); recognised once recognised (replicated included).
REGISTERED = [
    RegStatus.SUBMITTED,
    RegStatus.RETURNED,
    RegStatus.ACCEPTED,
    RegStatus.REJECTED,
    RegStatus.RECOGNISED,
    RegStatus.NOT_RECOGNISED,
    RegStatus.REPLICATED,
]
ACCEPTED = [
    RegStatus.ACCEPTED,
    RegStatus.RECOGNISED,
    RegStatus.NOT_RECOGNISED,
    RegStatus.REPLICATED,
]
RECOGNISED = [RegStatus.RECOGNISED, RegStatus.REPLICATED]


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def memberships_of(province: Organization, *, year: int | None = None) -> QuerySet:
    """The province's commune memberships: those in force at some time in ``year``, or
    today's when no year is given."""
    queryset = CommuneMembership.objects.filter(province=province)
    if year is None:
        today = timezone.localdate()
        first = last = today
    else:
        first, last = _year_bounds(year)
    return queryset.filter(valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )


def commune_ids(province: Organization, *, year: int | None = None) -> frozenset[int]:
    """The ids of the communes under ``province`` (today, or at some time in ``year``).

    The stable entry point for other apps (the read API) that scope data to a
    province's communes. One query."""
    return frozenset(
        memberships_of(province, year=year).values_list("commune_id", flat=True).distinct()
    )


def province_of(commune: Organization, *, on: date | None = None) -> Organization | None:
    """The province a commune is under on ``on`` (default today), if any."""
    on = on or timezone.localdate()
    membership = (
        CommuneMembership.objects.filter(commune=commune, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("province")
        .first()
    )
    return membership.province if membership else None


def commune_under(province: Organization, commune_id: int, *, year: int | None = None):
    """The commune ``commune_id`` if it is under ``province`` (in ``year``), else None."""
    if commune_id not in commune_ids(province, year=year):
        return None
    return Organization.objects.filter(pk=commune_id).first()


# The roll-up ------------------------------------------------------------------------


@dataclass
class CommuneRow:
    organization_id: int
    name: str
    launched: bool
    reported: bool
    registered: int = 0
    accepted: int = 0
    recognised: int = 0
    awards: int = 0
    amount_vnd: int = 0
    ratings: dict = field(default_factory=dict)


@dataclass
class CountRow:
    label: str
    registered: int = 0
    accepted: int = 0
    recognised: int = 0


@dataclass
class AwardRow:
    label: str
    count: int
    amount_vnd: int


@dataclass
class Rollup:
    province: Organization
    year: int
    communes: list[CommuneRow]
    fields: list[CountRow]
    bands: list[str]
    rating_totals: dict
    awards: list[AwardRow]
    proposals: list

    @property
    def not_launched(self) -> list[CommuneRow]:
        return [row for row in self.communes if not row.launched]

    @property
    def not_reported(self) -> list[CommuneRow]:
        return [row for row in self.communes if row.launched and not row.reported]

    @property
    def totals(self) -> CommuneRow:
        return CommuneRow(
            organization_id=0,
            name="",
            launched=all(row.launched for row in self.communes),
            reported=all(row.reported for row in self.communes),
            registered=sum(row.registered for row in self.communes),
            accepted=sum(row.accepted for row in self.communes),
            recognised=sum(row.recognised for row in self.communes),
            awards=sum(row.awards for row in self.communes),
            amount_vnd=sum(row.amount_vnd for row in self.communes),
        )

    def rating_cells(self, row: CommuneRow) -> list[int]:
        return [row.ratings.get(band, 0) for band in self.bands]


def _counts(prefix: str = "") -> dict:
    return {
        "registered": Count("pk", filter=Q(status__in=REGISTERED)),
        "accepted": Count("pk", filter=Q(status__in=ACCEPTED)),
        "recognised": Count("pk", filter=Q(status__in=RECOGNISED)),
    }


def _rating(total, count) -> Subquery:
    """The name of the highest band of the inspection's campaign that the mean of its
    scored totals reaches, as ``evaluations`` decides it, in integers:
    ``mean ≥ min ⇔ 2·total ≥ count·(2·min·100 − 1)``."""
    bands = (
        RatingBand.objects.filter(rubric__campaign_id=OuterRef("round__campaign_id"))
        .filter(GreaterThanOrEqual(total * 2, count * (F("min_score") * 200 - 1)))
        .order_by("-min_score")
        .values("name")[:1]
    )
    return Subquery(bands, output_field=CharField())


def ratings_by_commune(ids, year: int) -> dict[int, dict[str, int]]:
    """{commune id: {rating: number of models}} from each commune's year-end round(s)
    of ``year`` (closed ones), a model counted once per round. One query."""
    totals = (
        Assignment.objects.filter(inspection_id=OuterRef("pk"), scored_at__isnull=False)
        .order_by()
        .values("inspection_id")
    )
    total_sum = Subquery(
        totals.annotate(total=Sum("total_hundredths")).values("total"), output_field=IntegerField()
    )
    scored_count = Subquery(
        totals.annotate(number=Count("pk")).values("number"), output_field=IntegerField()
    )
    rows = (
        Inspection.objects.filter(
            round__organization_id__in=ids,
            round__campaign__year=year,
            round__kind=Round.Kind.YEAR_END,
            round__status=Round.Status.CLOSED,
        )
        .annotate(total_sum=total_sum, scored_count=scored_count)
        .filter(scored_count__gt=0)
        .annotate(rating=_rating(OuterRef("total_sum"), OuterRef("scored_count")))
        .order_by()
        .values("round__organization_id", "rating")
        .annotate(number=Count("pk"))
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row["rating"]:
            result[row["round__organization_id"]][row["rating"]] = row["number"]
    return result


def rollup(*, province: Organization, year: int) -> Rollup:
    """The movement across the province's communes in ``year``, from the communes' own
    records: models registered, accepted and recognised (per commune and per field),
    ratings of the year-end review, awards per form with their amounts, which communes
    have not launched the year's campaign or not closed their year-end review, and the
    proposals received. Nine queries, whatever the number of communes."""
    memberships = list(
        memberships_of(province, year=year).select_related("commune").order_by("commune__name")
    )
    communes: dict[int, CommuneMembership] = {}
    for membership in memberships:  # a commune that moved and came back: once
        communes.setdefault(membership.commune_id, membership)
    ids = list(communes)
    launched = Campaign.objects.filter(
        organization_id=OuterRef("pk"),
        year=year,
        status__in=[Campaign.Status.ISSUED, Campaign.Status.CLOSED],
    )
    reported = Round.objects.filter(
        organization_id=OuterRef("pk"),
        campaign__year=year,
        kind=Round.Kind.YEAR_END,
        status=Round.Status.CLOSED,
    )
    flags = {
        row["pk"]: row
        for row in Organization.objects.filter(pk__in=ids)
        .annotate(launched=Exists(launched), reported=Exists(reported))
        .values("pk", "launched", "reported")
    }
    registrations = Registration.objects.filter(organization_id__in=ids, campaign__year=year)
    by_commune = {
        row["organization_id"]: row
        for row in registrations.order_by().values("organization_id").annotate(**_counts())
    }
    by_field = [
        CountRow(
            label=row["field__name"] or "",
            registered=row["registered"],
            accepted=row["accepted"],
            recognised=row["recognised"],
        )
        for row in registrations.order_by("field__name").values("field__name").annotate(**_counts())
    ]
    current_awards = Award.objects.filter(
        organization_id__in=ids,
        decision__campaign__year=year,
        revoked_at__isnull=True,
        superseded=False,
    ).order_by()
    award_by_commune = {
        row["organization_id"]: row
        for row in current_awards.values("organization_id").annotate(
            number=Count("pk"), amount=Coalesce(Sum("amount_vnd"), 0)
        )
    }
    awards = [
        AwardRow(label=row["award_form__name"], count=row["number"], amount_vnd=row["amount"])
        for row in current_awards.values("award_form__name", "award_form__position")
        .annotate(number=Count("pk"), amount=Coalesce(Sum("amount_vnd"), 0))
        .order_by("award_form__position", "award_form__name")
    ]
    ratings = ratings_by_commune(ids, year)
    proposals = [
        (Proposal.Status(row["status"]).label, row["number"])
        for row in Proposal.objects.filter(organization=province, sent_at__year=year)
        .order_by("status")
        .values("status")
        .annotate(number=Count("pk"))
    ]
    rows = []
    for commune_id, membership in communes.items():
        counts = by_commune.get(commune_id, {})
        money = award_by_commune.get(commune_id, {})
        flag = flags.get(commune_id, {})
        rows.append(
            CommuneRow(
                organization_id=commune_id,
                name=membership.name_then or membership.commune.name,
                launched=bool(flag.get("launched")),
                reported=bool(flag.get("reported")),
                registered=counts.get("registered", 0),
                accepted=counts.get("accepted", 0),
                recognised=counts.get("recognised", 0),
                awards=money.get("number", 0),
                amount_vnd=money.get("amount", 0),
                ratings=ratings.get(commune_id, {}),
            )
        )
    rating_totals: dict[str, int] = defaultdict(int)
    for per_commune in ratings.values():
        for name, number in per_commune.items():
            rating_totals[name] += number
    # The ratings in the order of their floors (highest first), across the communes' rubrics.
    floors = {
        row["name"]: row["floor"]
        for row in RatingBand.objects.filter(
            rubric__campaign__organization_id__in=ids, rubric__campaign__year=year
        )
        .order_by()
        .values("name")
        .annotate(floor=Max("min_score"))
    }
    bands = sorted(rating_totals, key=lambda name: (-floors.get(name, 0), name))
    return Rollup(
        province=province,
        year=year,
        communes=rows,
        fields=by_field,
        bands=bands,
        rating_totals=dict(rating_totals),
        awards=awards,
        proposals=proposals,
    )


def commune_registrations(*, commune: Organization, year: int) -> QuerySet[Registration]:
    """One commune's registrations of ``year``, for the province's read-only list."""
    return (
        Registration.objects.filter(organization=commune, campaign__year=year)
        .select_related("unit", "field", "campaign")
        .order_by("code", "pk")
    )


# Proposals ---------------------------------------------------------------------------


def proposal_queue(*, province: Organization, status: str | None = None) -> QuerySet[Proposal]:
    queryset = Proposal.objects.filter(organization=province)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related(
        "commune", "nomination__award_form", "nomination__unit", "nomination__registration"
    )


def proposals_sent(*, commune: Organization) -> QuerySet[Proposal]:
    return Proposal.objects.filter(commune=commune).select_related(
        "organization", "nomination__award_form", "nomination__unit", "nomination__registration"
    )
