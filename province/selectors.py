"""Reads of the level above: which communes are under a province, and the figures of
the movement across them. Every aggregate is computed by the database; the number of
queries does not depend on the number of communes."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from awards.models import AWARDS_IN_FORCE, Award, Vote
from awards.selectors import meetings_for_documents
from campaigns.models import Campaign
from danvan.accounts.models import Organization
from danvan.db.expressions import total_per_row
from danvan.documents.layout import long_formats
from danvan.text import fold, natural_sort_key
from evaluations.models import Inspection, RatingBand, Round, Rubric
from models_registry.models import Registration
from models_registry.rules import ACCEPTED, RECOGNISED, REGISTERED
from models_registry.selectors import field_label
from province.models import CommuneMembership, Proposal


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


def commune_ids(
    province: Organization, *, year: int | None = None, active_only: bool = False
) -> frozenset[int]:
    """The ids of the communes under ``province`` (today, or at some time in ``year``);
    with ``active_only``, those whose organisation is not deactivated.

    The stable entry point for other apps (the read API) that scope data to a
    province's communes. One query."""
    memberships = memberships_of(province, year=year)
    if active_only:
        memberships = memberships.filter(commune__is_active=True)
    return frozenset(memberships.values_list("commune_id", flat=True).distinct())


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


def name_then(province: Organization, commune: Organization, *, year: int | None = None) -> str:
    """The commune's name under ``province`` in ``year`` (its latest that year), as the
    roll-up lists it: a commune renamed or merged since keeps the name it had then."""
    recorded = (
        memberships_of(province, year=year)
        .filter(commune=commune)
        .exclude(name_then="")
        .order_by("-valid_from")
        .values_list("name_then", flat=True)
        .first()
    )
    return recorded or commune.name


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
        return rating_cells(self.bands, row)


def rating_cells(bands: list[str], row: CommuneRow) -> list[int]:
    """The row's number of models per rating, in the order of ``bands``."""
    return [row.ratings.get(band, 0) for band in bands]


def _counts(prefix: str = "") -> dict:
    return {
        "registered": Count("pk", filter=Q(status__in=REGISTERED)),
        "accepted": Count("pk", filter=Q(status__in=ACCEPTED)),
        "recognised": Count("pk", filter=Q(status__in=RECOGNISED)),
    }


_RATINGS_SQL = """
    WITH totals AS (
        SELECT inspection.id AS inspection_id, round.organization_id, round.campaign_id,
               inspection.scored_sum_hundredths AS total_sum,
               inspection.scored_count AS scored
          FROM {inspection} inspection
          JOIN {round} round ON round.id = inspection.round_id
          JOIN {campaign} campaign ON campaign.id = round.campaign_id
         WHERE round.organization_id IN ({scope})
           AND campaign.year = %s
           AND round.kind = %s
           AND round.status = %s
           AND inspection.scored_count > 0
    ), reached AS (
        SELECT totals.inspection_id, totals.organization_id, band.rubric_id,
               MAX(band.min_score) AS floor
          FROM totals
          JOIN {rubric} rubric ON rubric.campaign_id = totals.campaign_id
          JOIN {band} band ON band.rubric_id = rubric.id
           AND 2 * totals.total_sum >= totals.scored * (band.min_score * 200 - 1)
         GROUP BY totals.inspection_id, totals.organization_id, band.rubric_id
    )
    SELECT {commune}, band.name, COUNT(*)
      FROM reached
      JOIN {band} band
        ON band.rubric_id = reached.rubric_id AND band.min_score = reached.floor
     GROUP BY {group}band.name
"""


def _ratings(scope: str, scope_params: list, year: int, *, per_commune: bool) -> list[tuple]:
    """Rows (commune id or 0, rating, number of models) of the closed year-end rounds of
    ``year`` of the communes that ``scope`` (SQL giving commune ids) selects."""
    tables = {
        name: model._meta.db_table
        for name, model in (
            ("inspection", Inspection),
            ("round", Round),
            ("campaign", Campaign),
            ("band", RatingBand),
            ("rubric", Rubric),
        )
    }
    commune = "reached.organization_id" if per_commune else "0"
    group = "reached.organization_id, " if per_commune else ""
    sql = _RATINGS_SQL.format(scope=scope, commune=commune, group=group, **tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, year, Round.Kind.YEAR_END, Round.Status.CLOSED])
        return cursor.fetchall()


def ratings_by_commune(ids, year: int) -> dict[int, dict[str, int]]:
    """{commune id: {rating: number of models}} from each commune's closed year-end
    round(s) of ``year``, a model counted once per round. One query.

    Each model's rating is decided as ``evaluations`` decides it: the highest band of its
    campaign's rubric that the mean of its scored totals reaches, in integers
    (``mean ≥ min ⇔ 2·total ≥ count·(2·min·100 − 1)``). Each model's sum and count of
    scored totals are its inspection's own (the score sheets are not read), each model's
    highest band reached is found by joins (no query per model), and
    the models are counted per commune and band: common table expressions the ORM cannot
    write, hence the SQL, which runs on PostgreSQL and SQLite alike."""
    ids = list(ids)
    if not ids:
        return {}
    rows = _ratings(", ".join(["%s"] * len(ids)), ids, year, per_commune=True)
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for organization_id, rating, number in rows:
        if rating:
            result[organization_id][rating] = number
    return result


def rating_totals(province: Organization, year: int) -> dict[str, int]:
    """{rating: number of models} across all the province's communes in ``year``, counted
    by the database as ``ratings_by_commune`` counts them. One query, whatever the
    number of communes."""
    first, last = _year_bounds(year)
    scope = (
        f"SELECT commune_id FROM {CommuneMembership._meta.db_table} "  # noqa: S608 - metadata
        "WHERE province_id = %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)"
    )
    rows = _ratings(scope, [province.pk, last, first], year, per_commune=False)
    return {rating: number for _all, rating, number in rows if rating}


def _band_order(province: Organization, year: int, names) -> list[str]:
    """The ratings in the order of their floors (highest first), across the communes'
    rubrics. One query."""
    floors = {
        row["name"]: row["floor"]
        for row in RatingBand.objects.filter(
            rubric__campaign__organization_id__in=_commune_scope(province, year),
            rubric__campaign__year=year,
        )
        .order_by()
        .values("name")
        .annotate(floor=Max("min_score"))
    }
    return sorted(names, key=lambda name: (-floors.get(name, 0), name))


def _commune_scope(province: Organization, year: int) -> QuerySet:
    """The ids of the province's communes in ``year``, as a subquery (never a list)."""
    return memberships_of(province, year=year).values("commune_id")


@dataclass
class CommuneEntry:
    """A commune of the list, before its figures: what the list is searched, filtered
    and paged on."""

    organization_id: int
    name: str
    launched: bool
    reported: bool


def commune_entries(*, province: Organization, year: int) -> list[CommuneEntry]:
    """The province's communes in ``year`` in the order of their names, each once (a
    commune that moved and came back too), with whether it launched the year's campaign
    and closed its year-end review. One query of a few columns per commune; their
    figures are read only for the communes shown (``commune_rows``)."""
    launched = Campaign.objects.filter(
        organization_id=OuterRef("commune_id"),
        year=year,
        status__in=[Campaign.Status.ISSUED, Campaign.Status.CLOSED],
    )
    reported = Round.objects.filter(
        organization_id=OuterRef("commune_id"),
        campaign__year=year,
        kind=Round.Kind.YEAR_END,
        status=Round.Status.CLOSED,
    )
    rows = (
        memberships_of(province, year=year)
        .annotate(launched=Exists(launched), reported=Exists(reported))
        .order_by("commune__name", "commune_id", "-valid_from")
        .values_list("commune_id", "name_then", "commune__name", "launched", "reported")
    )
    entries: dict[int, CommuneEntry] = {}
    for commune_id, then, name, was_launched, was_reported in rows:
        if commune_id not in entries:
            entries[commune_id] = CommuneEntry(
                commune_id, then or name, bool(was_launched), bool(was_reported)
            )
    # In the order of the names shown (a commune's name that year), Vietnamese-wise.
    return sorted(entries.values(), key=lambda entry: natural_sort_key(entry.name))


ENTRY_STATES = {
    "not_launched": lambda entry: not entry.launched,
    "not_reported": lambda entry: entry.launched and not entry.reported,
}


def entries_matching(
    entries: list[CommuneEntry], *, query: str = "", state: str = ""
) -> list[CommuneEntry]:
    """The entries whose name contains ``query`` (accents and case ignored: "duc pho"
    finds "Phường Đức Phổ") and, with a ``state`` of ``ENTRY_STATES``, in that state."""
    wanted = fold(query)
    in_state = ENTRY_STATES.get(state)
    return [
        entry
        for entry in entries
        if (not wanted or wanted in fold(entry.name)) and (in_state is None or in_state(entry))
    ]


def commune_rows(entries: list[CommuneEntry], *, year: int) -> list[CommuneRow]:
    """The figures of ``entries`` (a page of communes, or all of them for an export):
    registrations, ratings and awards. Three queries, whatever the number of entries."""
    ids = [entry.organization_id for entry in entries]
    if not ids:
        return []
    registrations = Registration.objects.filter(organization_id__in=ids, campaign__year=year)
    by_commune = {
        row["organization_id"]: row
        for row in registrations.order_by().values("organization_id").annotate(**_counts())
    }
    award_by_commune = {
        row["organization_id"]: row
        for row in _current_awards(year)
        .filter(organization_id__in=ids)
        .values("organization_id")
        .annotate(number=Count("pk"), amount=Coalesce(Sum("amount_vnd"), 0))
    }
    ratings = ratings_by_commune(ids, year)
    rows = []
    for entry in entries:
        counts = by_commune.get(entry.organization_id, {})
        money = award_by_commune.get(entry.organization_id, {})
        rows.append(
            CommuneRow(
                organization_id=entry.organization_id,
                name=entry.name,
                launched=entry.launched,
                reported=entry.reported,
                registered=counts.get("registered", 0),
                accepted=counts.get("accepted", 0),
                recognised=counts.get("recognised", 0),
                awards=money.get("number", 0),
                amount_vnd=money.get("amount", 0),
                ratings=ratings.get(entry.organization_id, {}),
            )
        )
    return rows


def _current_awards(year: int) -> QuerySet[Award]:
    return Award.objects.filter(AWARDS_IN_FORCE, decision__campaign__year=year).order_by()


@dataclass
class Summary:
    """The province-wide figures of a year, every one computed by the database."""

    totals: CommuneRow
    fields: list[CountRow]
    bands: list[str]
    rating_totals: dict
    awards: list[AwardRow]
    proposals: list


def rollup_summary(*, province: Organization, year: int) -> Summary:
    """The totals across all the province's communes in ``year`` (registrations, by
    field, ratings, awards per form, proposals received) by aggregate queries over the
    communes' subquery: five queries, and nothing read per commune."""
    scope = _commune_scope(province, year)
    registrations = Registration.objects.filter(organization_id__in=scope, campaign__year=year)
    by_field = [
        CountRow(
            label=row["label"] or "",
            registered=row["registered"],
            accepted=row["accepted"],
            recognised=row["recognised"],
        )
        for row in registrations.values(label=field_label()).order_by("label").annotate(**_counts())
    ]
    awards = [
        AwardRow(label=row["award_form__name"], count=row["number"], amount_vnd=row["amount"])
        for row in _current_awards(year)
        .filter(organization_id__in=scope)
        .values("award_form__name", "award_form__position")
        .annotate(number=Count("pk"), amount=Coalesce(Sum("amount_vnd"), 0))
        .order_by("award_form__position", "award_form__name")
    ]
    ratings = rating_totals(province, year)
    proposals = [
        (Proposal.Status(row["status"]).label, row["number"])
        for row in Proposal.objects.filter(organization=province, sent_at__year=year)
        .order_by("status")
        .values("status")
        .annotate(number=Count("pk"))
    ]
    return Summary(
        totals=CommuneRow(
            organization_id=0,
            name="",
            launched=False,
            reported=False,
            # Every registration has one field (or none: one more group), so the
            # province's counts are the sums of the few groups per field.
            registered=sum(row.registered for row in by_field),
            accepted=sum(row.accepted for row in by_field),
            recognised=sum(row.recognised for row in by_field),
            awards=sum(row.count for row in awards),
            amount_vnd=sum(row.amount_vnd for row in awards),
        ),
        fields=by_field,
        bands=_band_order(province, year, ratings),
        rating_totals=ratings,
        awards=awards,
        proposals=proposals,
    )


def rollup(*, province: Organization, year: int) -> Rollup:
    """The movement across the province's communes in ``year``, every commune with its
    figures (for the exports, which list them all): models registered, accepted and
    recognised (per commune and per field), ratings of the year-end review, awards per
    form with their amounts, which communes have not launched the year's campaign or not
    closed their year-end review, and the proposals received. Nine queries, whatever the
    number of communes; the page shows ``rollup_summary`` and one page of ``commune_rows``
    instead."""
    summary = rollup_summary(province=province, year=year)
    rows = commune_rows(commune_entries(province=province, year=year), year=year)
    return Rollup(
        province=province,
        year=year,
        communes=rows,
        fields=summary.fields,
        bands=summary.bands,
        rating_totals=summary.rating_totals,
        awards=summary.awards,
        proposals=summary.proposals,
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


def proposal_votes(proposal: Proposal) -> list:
    """The council votes on the proposal's nomination, oldest meeting first, each
    meeting with ``long_formats``: which files of its minutes (a line a vote) are made in
    the background."""
    lines = total_per_row(
        Vote.objects.filter(meeting=OuterRef("meeting_id")).order_by().values("meeting_id"),
        Count("pk"),
    )
    votes = list(
        proposal.nomination.votes.select_related("meeting")
        .annotate(meeting_lines=lines)
        .order_by("meeting__held_on")
    )
    for vote in votes:
        vote.meeting.long_formats = long_formats(vote.meeting_lines)
    return votes


def proposal_meeting(proposal: Proposal, meeting_pk: int):
    """A council meeting that voted on the proposal's nomination, ready for its minutes
    (``awards.documents.meeting_file``); None for any other."""
    return (
        meetings_for_documents()
        .filter(pk=meeting_pk, votes__nomination=proposal.nomination_id)
        .first()
    )
