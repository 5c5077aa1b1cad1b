"""Reads about rubrics, rounds, scores and results that pages, exports and documents share.

Results are aggregated by the database (see ``evaluations.scoring`` for the arithmetic):
per model, the sum and count of its evaluators' totals give the mean, ``Min``/``Max`` the
spread, and a ``Case``/``When`` over the campaign's bands the rating. Nothing loops over
score rows in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext

from campaigns.models import Campaign
from danvan.accounts.models import Membership, Organization, Unit, UnitGroup, User
from danvan.accounts.rules import is_office, is_officer_of_unit
from danvan.accounts.selectors import unit_ids_in
from danvan.pagination import first_rows
from danvan.text import natural_sort_key, sort_key
from evaluations.models import (
    LEFT_TO_SCORE_FIRST,
    Assignment,
    Criterion,
    Inspection,
    RatingBand,
    Round,
    Rubric,
    Score,
    SelfScore,
)
from evaluations.scoring import CENT, as_points
from models_registry.models import Registration
from models_registry.selectors import organization_fields

Role = Membership.Role
Status = Round.Status
SCORED = Q(scored_at__isnull=False)


# Rubric ------------------------------------------------------------------------------


def evaluator_still_serves() -> Exists:
    """An assignment's evaluator is still an evaluator of the round's organisation."""
    return Exists(
        Membership.objects.filter(
            user=OuterRef("evaluator"),
            organization=OuterRef("round__organization"),
            role=Membership.Role.EVALUATOR,
        )
    )


def held_by_evaluators(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The assignments whose evaluator is still an evaluator of the round's organisation:
    one who left (another commune, another role) is neither reminded nor counted as
    behind; their unscored sheets wait for the office to reassign them
    (``held_by_leavers``)."""
    return assignments.filter(evaluator_still_serves())


def held_by_leavers(
    assignments: QuerySet[Assignment], *, organization: Organization
) -> QuerySet[Assignment]:
    """The assignments, of ``organization``'s rounds, whose evaluator left its evaluators
    or whose account is deactivated: the sheets the office has to give someone else.
    Tested against the short list of those still serving, so that a round's thousands of
    sheets are read from its index alone."""
    serving = Membership.objects.filter(
        organization=organization, role=Membership.Role.EVALUATOR, user__is_active=True
    ).values("user_id")
    return assignments.exclude(evaluator__in=serving)


def rubric_for(*, campaign: Campaign) -> Rubric | None:
    """The campaign's rubric with its criteria and bands in order (three queries)."""
    return (
        Rubric.objects.filter(campaign=campaign)
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=Criterion.objects.order_by("position", "pk"),
                to_attr="criterion_list",
            ),
            Prefetch(
                "bands", queryset=RatingBand.objects.order_by("-min_score"), to_attr="band_list"
            ),
        )
        .first()
    )


def criteria_of(campaign_id: int) -> list[Criterion]:
    return list(
        Criterion.objects.filter(rubric__campaign_id=campaign_id).order_by("position", "pk")
    )


def bands_of(campaign_id: int) -> list[RatingBand]:
    """The campaign's rating bands, highest first."""
    return list(RatingBand.objects.filter(rubric__campaign_id=campaign_id).order_by("-min_score"))


def band_expression(total: str, count: str, bands: list[RatingBand]) -> Case:
    """The id of the highest band the mean reaches, or NULL without totals, from the
    annotations ``total`` (sum of totals in hundredths) and ``count`` (their number).

    ``mean ≥ min ⇔ 2·total ≥ count·(2·min − 1)``: integers only, exact on every database.
    """
    whens = [
        When(
            GreaterThanOrEqual(F(total) * 2, F(count) * (2 * band.min_hundredths - 1)),
            then=Value(band.pk),
        )
        for band in sorted(bands, key=lambda band: band.min_score, reverse=True)
    ]
    return Case(
        When(Q(**{count: 0}), then=Value(None)),
        *whens,
        default=Value(None),
        output_field=IntegerField(),
    )


def mean_expression(total: str, count: str) -> Case:
    """The mean total in hundredths, rounded half up: ⌊(2·total + count) / (2·count)⌋."""
    return Case(
        When(Q(**{count: 0}), then=Value(None)),
        default=(F(total) * 2 + F(count)) / (F(count) * 2),
        output_field=IntegerField(),
    )


def with_results(inspections: QuerySet[Inspection], bands: list[RatingBand]):
    """Annotate inspections with ``lowest`` and ``highest`` (hundredths, from their score
    sheets), ``mean`` (hundredths) and ``band_id`` (from their own scored sum and count)."""
    scored = Q(assignments__scored_at__isnull=False)
    return inspections.annotate(
        lowest=Min("assignments__total_hundredths", filter=scored),
        highest=Max("assignments__total_hundredths", filter=scored),
        mean=mean_expression("scored_sum_hundredths", "scored_count"),
        band_id=_inspection_band(bands),
    )


def attach_bands(rows, bands: list[RatingBand]):
    """Give each row (annotated by ``with_results``) its ``band`` object."""
    by_id = {band.pk: band for band in bands}
    for row in rows:
        row.band = by_id.get(row.band_id)
    return rows


# Rounds --------------------------------------------------------------------------------


def with_progress(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """Rounds annotated with their ``models``, ``assigned`` and ``scored`` sheets, from
    the inspections' own counts."""
    return rounds.annotate(
        models=Count("inspections"),
        assigned=Coalesce(Sum("inspections__assigned_count"), 0),
        scored=Coalesce(Sum("inspections__scored_count"), 0),
    )


def rounds_of(*, campaign: Campaign) -> QuerySet[Round]:
    return Round.objects.filter(campaign=campaign).order_by("starts_on", "pk")


@dataclass
class RoundLine:
    """A round as listed on the evaluations home page, with its progress."""

    round: Round
    models: int
    assigned: int
    scored: int


@dataclass
class CampaignRounds:
    campaign: Campaign
    rounds: list[RoundLine] = field(default_factory=list)


def campaigns_with_rounds(
    *, organization: Organization, closed_only: bool = False
) -> list[CampaignRounds]:
    """Issued and closed campaigns, newest first, with their rounds and progress
    (two queries).

    The rounds are counted without their campaign, which the first query has read: joined
    before the grouping, each of a year-end round's tens of thousands of inspections would
    carry its campaign's row into it (70,000 inspections: 65–120 ms to 25 ms)."""
    campaigns = {
        campaign.pk: campaign
        for campaign in Campaign.objects.filter(organization=organization)
        .exclude(status=Campaign.Status.DRAFT)
        .order_by("-year", "name")
    }
    rounds = Round.objects.filter(organization=organization)
    if closed_only:
        rounds = rounds.filter(status=Status.CLOSED)
    rounds = with_progress(rounds).order_by("starts_on", "pk")
    by_campaign: dict[int, list[RoundLine]] = defaultdict(list)
    for round in rounds:
        if round.campaign_id in campaigns:
            round.campaign = campaigns[round.campaign_id]
            by_campaign[round.campaign_id].append(
                RoundLine(round, round.models, round.assigned or 0, round.scored or 0)
            )
    return [
        CampaignRounds(campaign, by_campaign.get(campaign.pk, []))
        for campaign in campaigns.values()
    ]


def joined_inspections(round: Round) -> QuerySet[Inspection]:
    """The round's inspections, for a query that joins their registrations. The
    registrations are said to be the round's organisation's and campaign's (a round
    covers only its campaign's registrations): otherwise, in a database of many
    organisations, PostgreSQL reads the registrations of the whole country to join the
    round's, and a list in the registrations' order sorts all of them for one page
    instead of reading the campaign's in order (23,000 models: 78 ms to 1 ms)."""
    return Inspection.objects.filter(
        round=round,
        registration__organization_id=round.organization_id,
        registration__campaign_id=round.campaign_id,
    )


def round_progress(*, round: Round) -> dict:
    """Progress of a round: overall, by unit and by evaluator (five queries)."""
    # Every count from the inspections' own columns: the score sheets are not read.
    counts = {
        "models": Count("pk"),
        "self_assessed": Count("pk", filter=Q(self_submitted_at__isnull=False)),
        "assigned": Coalesce(Sum("assigned_count"), 0),
        "scored": Coalesce(Sum("scored_count"), 0),
    }
    overall = (
        Inspection.objects.filter(round=round)
        .order_by()
        .aggregate(**counts, unassigned=Count("pk", filter=Q(assigned_count=0)))
    )
    # Grouped by identifier alone; the few names are read afterwards. Joining the units'
    # and people's tables into the grouping reads the whole of both in a database of
    # many organisations (docs/performance.md). By the unit kept on the inspection: the
    # round's inspections alone, not joined to their registrations (70,000 models: 81 ms
    # to 16 ms at national size).
    by_unit = list(
        Inspection.objects.filter(round=round).order_by().values("unit_id").annotate(**counts)
    )
    unit_names = dict(
        Unit.objects.filter(pk__in=[row["unit_id"] for row in by_unit]).values_list("pk", "name")
    )
    for row in by_unit:
        row["unit_name"] = unit_names.get(row["unit_id"], "")
    by_unit.sort(key=lambda row: (natural_sort_key(row["unit_name"]), row["unit_id"]))
    by_evaluator = list(
        # From the index on (round, evaluator, scored_at) alone.
        Assignment.objects.filter(round=round)
        .values("evaluator_id")
        .annotate(assigned=Count("evaluator_id"), scored=Count("evaluator_id", filter=SCORED))
    )
    people = {
        person["pk"]: person
        for person in User.objects.filter(
            pk__in=[row["evaluator_id"] for row in by_evaluator]
        ).values("pk", "full_name", "username")
    }
    for row in by_evaluator:
        person = people.get(row["evaluator_id"], {})
        row["evaluator__full_name"] = person.get("full_name", "")
        row["evaluator__username"] = person.get("username", "")
    by_evaluator.sort(key=lambda row: (sort_key(row["evaluator__full_name"]), row["evaluator_id"]))
    return {"overall": overall, "by_unit": by_unit, "by_evaluator": by_evaluator}


SUMMARY_COLUMNS = (
    "round_id",
    "self_total_hundredths",
    "self_submitted_at",
    "assigned_count",
    "scored_count",
    "scored_sum_hundredths",
    "registration__code",
    "registration__name",
    "registration__sequence",
    "registration__organization_id",
    "registration__campaign_id",
    "registration__unit__name",
    "registration__unit__short_name",
    "registration__field__name",
    "registration__field__name_en",
)


def round_results(*, round: Round, bands: list[RatingBand]) -> QuerySet[Inspection]:
    """Every model of the round with its result (one query; paginate it for pages)."""
    queryset = (
        joined_inspections(round)
        .select_related("registration__unit", "registration__field")
        # The registration's long texts are not listed: leaving them out halves the time.
        .only(*SUMMARY_COLUMNS)
    )
    return with_results(queryset, bands).order_by("registration__sequence", "pk")


def round_results_page(*, round: Round, bands: list[RatingBand], number, per_page: int = 50):
    """One page of ``round_results``: the page's models are chosen first (a cheap,
    indexed query) and only they are aggregated, with their ``band`` attached."""
    ids = (
        joined_inspections(round)
        .order_by("registration__sequence", "pk")
        .values_list("pk", flat=True)
    )
    paginator = Paginator(ids, per_page)
    paginator.count = Inspection.objects.filter(round=round).count()  # no join to count
    page = paginator.get_page(number)
    rows = {
        row.pk: row for row in round_results(round=round, bands=bands).filter(pk__in=list(page))
    }
    page.object_list = attach_bands([rows[pk] for pk in page.object_list if pk in rows], bands)
    return page


def _inspection_band(bands: list[RatingBand]) -> Case:
    """The band id of each inspection, from its own scored sum and count."""
    return band_expression("scored_sum_hundredths", "scored_count", bands)


def rating_counts(*, round: Round, bands: list[RatingBand]) -> dict[int | None, int]:
    """How many models of the round earned each band (None: no result yet)."""
    rows = (
        Inspection.objects.filter(round=round)
        .annotate(band_id=_inspection_band(bands))
        .order_by()
        .values("band_id")
        .annotate(count=Count("pk"))
    )
    return {row["band_id"]: row["count"] for row in rows}


@dataclass
class DistributionRow:
    label: str
    counts: list[int]
    unrated: int
    total: int


@dataclass
class Distribution:
    bands: list[RatingBand]
    by_field: list[DistributionRow]
    by_unit: list[DistributionRow]
    by_group: list[DistributionRow]
    totals: DistributionRow


def rating_distribution(*, round: Round, bands: list[RatingBand]) -> Distribution:
    """Ratings of a round's models counted by field, by unit and by group of units when
    the organisation groups its units. One grouped query, one row per field, unit and
    band (never one per model), over the inspections joined to their campaign's
    registrations (``joined_inspections``); the units' names and groups are read
    afterwards. A round of 23,333 models: three grouped queries of 116, 43 and 25 ms
    before, one of about 45 ms now."""
    rows = list(
        joined_inspections(round)
        .annotate(band_id=_inspection_band(bands))
        .order_by()
        .values("registration__field_id", "registration__unit_id", "band_id")
        .annotate(count=Count("pk"))
    )
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in={row["registration__unit_id"] for row in rows}).only(
            "name", "group_id"
        )
    }

    def pivot(key_of, labels) -> list[DistributionRow]:
        table: dict = {}
        for row in rows:
            counts = table.setdefault(key_of(row), defaultdict(int))
            counts[row["band_id"]] += row["count"]
        return [
            _distribution_row(labels[group], table[group], bands)
            for group in labels
            if group in table
        ]

    field_labels = {f.pk: str(f) for f in organization_fields(round.organization_id)}
    field_labels[None] = gettext("Chưa phân lĩnh vực")  # the campaign's form did not ask it
    by_field = pivot(lambda row: row["registration__field_id"], field_labels)
    groups = list(UnitGroup.objects.filter(organization_id=round.organization_id))
    by_group = []
    if groups:
        group_labels = {group.pk: group.name for group in groups}
        group_labels[None] = gettext("Chưa xếp nhóm")
        by_group = pivot(lambda row: units[row["registration__unit_id"]].group_id, group_labels)
    unit_labels = {
        unit.pk: unit.name for unit in sorted(units.values(), key=lambda unit: unit.name)
    }
    by_unit = pivot(lambda row: row["registration__unit_id"], unit_labels)
    totals: dict = defaultdict(int)
    for row in by_unit:
        for band, count in zip(bands, row.counts, strict=True):
            totals[band.pk] += count
        totals[None] += row.unrated
    return Distribution(
        bands=bands,
        by_field=by_field,
        by_unit=by_unit,
        by_group=by_group,
        totals=_distribution_row("", totals, bands),
    )


def _distribution_row(label: str, counts: dict, bands: list[RatingBand]) -> DistributionRow:
    per_band = [counts.get(band.pk, 0) for band in bands]
    unrated = counts.get(None, 0)
    return DistributionRow(
        label=label, counts=per_band, unrated=unrated, total=sum(per_band) + unrated
    )


# Inspections and assignments ------------------------------------------------------------


def inspection_detail(*, inspection_id: int, organization: Organization) -> Inspection:
    return Inspection.objects.select_related(
        "round__campaign",
        "round__organization",
        "registration__unit",
        "registration__field",
        "registration__organization",
        "self_submitted_by",
    ).get(pk=inspection_id, round__organization=organization)


def assignment_detail(*, assignment_id: int, organization: Organization) -> Assignment:
    return Assignment.objects.select_related(
        "evaluator",
        "inspection__round__campaign",
        "inspection__round__organization",
        "inspection__registration__unit",
        "inspection__registration__field",
    ).get(pk=assignment_id, inspection__round__organization=organization)


@dataclass
class ScoreSheet:
    """Everything about one model in one round: criteria, the unit's self-assessment,
    each evaluator's points, and the result."""

    inspection: Inspection
    criteria: list[Criterion]
    bands: list[RatingBand]
    assignments: list[Assignment]
    self_scores: dict[int, SelfScore]
    scores: dict[tuple[int, int], Score]  # (assignment id, criterion id)
    criterion_means: dict[int, Decimal | None]
    result: Inspection  # annotated with_results

    @property
    def scored_assignments(self) -> list[Assignment]:
        return [assignment for assignment in self.assignments if assignment.is_scored]

    @property
    def mean(self) -> Decimal | None:
        return as_points(self.result.mean)

    @property
    def spread(self) -> Decimal | None:
        if self.result.highest is None:
            return None
        return as_points(self.result.highest - self.result.lowest)

    @property
    def band(self) -> RatingBand | None:
        return next((band for band in self.bands if band.pk == self.result.band_id), None)

    @property
    def max_total(self) -> Decimal:
        return sum((criterion.max_points for criterion in self.criteria), Decimal(0))

    def rows(self, assignments: list[Assignment] | None = None):
        """Per criterion: (criterion, self score, [score per assignment], mean)."""
        assignments = self.assignments if assignments is None else assignments
        for criterion in self.criteria:
            yield (
                criterion,
                self.self_scores.get(criterion.pk),
                [self.scores.get((a.pk, criterion.pk)) for a in assignments],
                self.criterion_means.get(criterion.pk),
            )


def score_sheet(*, inspection: Inspection) -> ScoreSheet:
    """The score sheet of one inspection (seven queries, whatever the number of
    criteria and evaluators)."""
    campaign_id = inspection.round.campaign_id
    criteria = criteria_of(campaign_id)
    bands = bands_of(campaign_id)
    assignments = list(
        inspection.assignments.select_related("evaluator").order_by("evaluator__full_name", "pk")
    )
    scores = {
        (score.assignment_id, score.criterion_id): score
        for score in Score.objects.filter(assignment__inspection=inspection)
    }
    self_scores = {score.criterion_id: score for score in inspection.self_scores.all()}
    means = (
        Score.objects.filter(assignment__inspection=inspection, assignment__scored_at__isnull=False)
        .values("criterion_id")
        .annotate(total=Sum("points"), count=Count("pk"))
    )
    criterion_means = {
        row["criterion_id"]: (row["total"] / row["count"]).quantize(CENT, rounding=ROUND_HALF_UP)
        for row in means
    }
    result = with_results(Inspection.objects.filter(pk=inspection.pk), bands).get()
    return ScoreSheet(
        inspection=inspection,
        criteria=criteria,
        bands=bands,
        assignments=assignments,
        self_scores=self_scores,
        scores=scores,
        criterion_means=criterion_means,
        result=result,
    )


# An evaluator of a large commune holds thousands of sheets in a round: the worklist
# shows the first of those left to score, and the counts of all.
WORKLIST_LINES = 50


@dataclass
class WorkRound:
    round: Round
    assignments: list[Assignment]  # the first WORKLIST_LINES, those left to score first
    total: int
    scored: int

    @property
    def unlisted(self) -> int:
        return self.total - len(self.assignments)


def evaluator_sheets(*, user: User, round: Round) -> QuerySet[Assignment]:
    """The evaluator's sheets of ``round``: those left to score first, then in the
    models' order."""
    return (
        Assignment.objects.filter(evaluator=user, round=round)
        .select_related("inspection__registration__unit", "inspection__registration__field")
        # The order of the assignment_worklist index: its first entries, not all sorted.
        .order_by(LEFT_TO_SCORE_FIRST, "sequence")
    )


def evaluator_worklist(
    *, user: User, organization: Organization, round: Round | None = None, lines: bool = True
) -> list[WorkRound]:
    """The evaluator's sheets in open rounds (or in ``round``, whatever its status),
    by round: how many, how many scored, and (unless ``lines`` is off) the first lines to
    score (two queries, and two per round for the lines)."""
    sheets = Assignment.objects.filter(evaluator=user, round__organization=organization)
    if round is None:
        sheets = sheets.filter(round__status=Status.OPEN)
    else:
        sheets = sheets.filter(round=round)
    return [
        WorkRound(its_round, lines, total=total, scored=done)
        for its_round, lines, total, done in _first_lines_by_round(
            sheets,
            done=Q(scored_at__isnull=False),
            lines_of=(lambda its_round: evaluator_sheets(user=user, round=its_round))
            if lines
            else None,
        )
    ]


def _first_lines_by_round(rows: QuerySet, *, done: Q, lines_of=None) -> list[tuple]:
    """``rows`` (score sheets or inspections) counted by round: for each round, in the
    order of their deadlines, ``(round, its first WORKLIST_LINES of lines_of(round)
    (none without lines_of), how many rows, how many of them done)``. Two queries, and
    two per round for the lines: their keys, sorted without the joined rows' long
    columns (6,222 sheets of a round: 62 ms to 35 ms), then the lines themselves."""
    counts = {
        row["round"]: row
        for row in rows.order_by()
        .values("round")
        .annotate(total=Count("pk"), done=Count("pk", filter=done))
    }
    rounds = (
        Round.objects.filter(pk__in=counts).select_related("campaign").order_by("ends_on", "pk")
    )
    return [
        (
            its_round,
            first_rows(lines_of(its_round), WORKLIST_LINES) if lines_of else [],
            counts[its_round.pk]["total"],
            counts[its_round.pk]["done"],
        )
        for its_round in rounds
    ]


@dataclass
class SelfAssessmentRound:
    """An open round as a unit officer sees it: their units' models in it, how many of
    their self-assessments are sent, and the first lines, those left to send first."""

    round: Round
    inspections: list[Inspection]  # the first WORKLIST_LINES
    total: int
    sent: int

    @property
    def unlisted(self) -> int:
        return self.total - len(self.inspections)


def unit_self_assessments(*, units, round: Round) -> QuerySet[Inspection]:
    """The models of ``units`` in ``round``: those whose self-assessment is left to send
    first, then in the models' order."""
    return (
        joined_inspections(round)
        .filter(registration__unit_id__in=units)
        .select_related("registration__unit")
        .only(  # what a line shows: not the narratives, nor the models' descriptions
            "round_id",
            "self_draft",
            "self_submitted_at",
            "self_total_hundredths",
            "registration__code",
            "registration__name",
            "registration__unit__name",
        )
        .order_by(
            Case(When(self_submitted_at__isnull=True, then=Value(0)), default=Value(1)),
            "registration__sequence",
        )
    )


def open_round_inspections(*, organization: Organization, units) -> QuerySet[Inspection]:
    """The models of ``units`` in the organisation's open rounds: those whose
    self-assessment the units have to send."""
    # The unit kept on the inspection: the units' entries of inspection_unit_sent only.
    return Inspection.objects.filter(
        round__organization=organization, round__status=Status.OPEN, unit_id__in=units
    )


def self_assessment_rounds(*, user: User, organization: Organization) -> list[SelfAssessmentRound]:
    """The open rounds holding models of the user's units (for unit officers), each with
    its counts and first lines: a large commune's unit leads thousands of models in a
    year-end round (two queries and one per round)."""
    units = unit_ids_in(user, organization.pk, Role.UNIT_OFFICER)
    return [
        SelfAssessmentRound(its_round, lines, total=total, sent=done)
        for its_round, lines, total, done in _first_lines_by_round(
            open_round_inspections(organization=organization, units=units),
            done=Q(self_submitted_at__isnull=False),
            lines_of=lambda its_round: unit_self_assessments(units=units, round=its_round),
        )
    ]


def assignment_board(*, round: Round) -> QuerySet[Inspection]:
    """The round's models with their assigned evaluators, for the assignment page."""
    return (
        joined_inspections(round)
        .select_related("registration__unit", "registration__field")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("evaluator").order_by(
                    "evaluator__full_name", "pk"
                ),
                to_attr="assignment_list",
            )
        )
        .order_by("registration__sequence", "pk")
    )


@dataclass(frozen=True)
class EvaluatorChoice:
    user: User
    unit_ids: frozenset[int]
    unit_names: str


def evaluators_of(*, organization: Organization) -> list[EvaluatorChoice]:
    """Active users with the evaluator role, with every unit they belong to (two queries)."""
    memberships = (
        Membership.objects.filter(organization=organization, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name", "user_id")
    )
    units: dict[int, set[Unit]] = defaultdict(set)
    evaluators: dict[int, User] = {}
    for membership in memberships:
        if membership.unit_id:
            units[membership.user_id].add(membership.unit)
        if membership.role == Role.EVALUATOR:
            evaluators[membership.user_id] = membership.user
    return [
        EvaluatorChoice(
            user=user,
            unit_ids=frozenset(unit.pk for unit in units[user_id]),
            unit_names=", ".join(sorted(unit.short_name for unit in units[user_id])),
        )
        for user_id, user in evaluators.items()
    ]


# Registrations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundResult:
    """A registration's result in one round, for its trajectory across rounds."""

    round: Round
    inspection_id: int
    scored: int
    mean: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    band: RatingBand | None
    self_total: Decimal | None
    final: bool
    can_self_assess: bool

    @property
    def spread(self) -> Decimal | None:
        if self.lowest is None or self.highest is None:
            return None
        return self.highest - self.lowest


def registration_rounds(
    registration: Registration, *, user: User | None = None
) -> list[RoundResult]:
    """The registration's results round by round (two queries).

    Office staff see every round, open ones with the results so far; the lead unit's
    officers also see open rounds, to self-assess, without results; everyone else sees
    closed rounds only.
    """
    office = user is not None and is_office.test(user, registration)
    own_unit = user is not None and is_officer_of_unit.test(user, registration)
    bands = bands_of(registration.campaign_id)
    inspections = Inspection.objects.filter(registration=registration).select_related("round")
    if not office:
        visible = Q(round__status=Status.CLOSED)
        if own_unit:
            visible |= Q(round__status=Status.OPEN)
        inspections = inspections.filter(visible)
    inspections = with_results(inspections, bands).order_by("round__starts_on", "round_id")
    by_id = {band.pk: band for band in bands}
    results = []
    for inspection in inspections:
        round = inspection.round
        final = round.status == Status.CLOSED
        shown = final or office
        results.append(
            RoundResult(
                round=round,
                inspection_id=inspection.pk,
                scored=inspection.scored_count if shown else 0,
                mean=as_points(inspection.mean) if shown else None,
                lowest=as_points(inspection.lowest) if shown else None,
                highest=as_points(inspection.highest) if shown else None,
                band=by_id.get(inspection.band_id) if shown else None,
                self_total=inspection.self_total,
                final=final,
                can_self_assess=own_unit and round.status == Status.OPEN,
            )
        )
    return results


@dataclass
class RecognitionRow:
    registration: Registration
    mean: Decimal | None
    band: RatingBand | None
    suggest_recognised: bool


def recognition_rows(*, campaign: Campaign, year_end: Round | None) -> list[RecognitionRow]:
    """Accepted registrations of the campaign with their year-end rating and the
    suggested decision: recognised when the rating is a passing band (one query plus
    the bands)."""
    bands = bands_of(campaign.pk)
    registrations = Registration.objects.filter(
        organization_id=campaign.organization_id,  # the index on (organisation, campaign, status)
        campaign=campaign,
        status=Registration.Status.ACCEPTED,
    ).select_related("unit", "field")
    if year_end is None:
        return [RecognitionRow(r, None, None, False) for r in registrations.order_by("sequence")]
    # From the year-end inspection's own sum and count (at most one per registration).
    in_round = Q(inspections__round=year_end)
    registrations = (
        registrations.annotate(
            total_sum=Sum("inspections__scored_sum_hundredths", filter=in_round),
            scored_count=Coalesce(Sum("inspections__scored_count", filter=in_round), 0),
        )
        .annotate(
            mean=mean_expression("total_sum", "scored_count"),
            band_id=band_expression("total_sum", "scored_count", bands),
        )
        .order_by("sequence")
    )
    by_id = {band.pk: band for band in bands}
    rows = []
    for registration in registrations:
        band = by_id.get(registration.band_id)
        rows.append(
            RecognitionRow(
                registration=registration,
                mean=as_points(registration.mean),
                band=band,
                suggest_recognised=bool(band and band.passing),
            )
        )
    return rows


def year_end_round(*, campaign: Campaign) -> Round | None:
    return Round.objects.filter(campaign=campaign, kind=Round.Kind.YEAR_END).first()
