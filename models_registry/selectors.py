"""Reads about registrations shared by pages, exports and documents."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from danvan.accounts.models import Membership, Organization, User
from danvan.accounts.selectors import roles_in, unit_ids_in, units_without_officer
from danvan.audit.models import AuditEvent
from danvan.db.expressions import bigint
from danvan.text import fold
from models_registry.models import (
    Comment,
    Evidence,
    Field,
    FormQuestion,
    LateException,
    LateRequest,
    Registration,
)
from models_registry.rules import ACCEPTED, REGISTERED, VISIBLE_TO_ALL, VISIBLE_TO_OFFICE

Role = Membership.Role

SORTS = {
    "code": ("sequence",),
    "-code": ("-sequence",),
    "name": ("name", "sequence"),
    "unit": ("unit__name", "sequence"),
    "status": ("status", "sequence"),
    "-updated": ("-updated_at",),
}
DEFAULT_SORT = "-updated"


def visible_registrations(*, user: User, organization: Organization) -> QuerySet[Registration]:
    """Every registration of the organisation the user may see (see rules.py)."""
    roles = roles_in(user, organization.pk)
    condition = Q(unit_id__in=unit_ids_in(user, organization.pk, Role.UNIT_OFFICER))
    if Role.OFFICE in roles or user.is_superuser:
        condition |= Q(status__in=VISIBLE_TO_OFFICE)
        # The units with no officer, whose papers the office enters: every state.
        condition |= Q(unit__in=units_without_officer(organization=organization))
    if roles & {Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.EVALUATOR, Role.VIEWER}:
        condition |= Q(status__in=VISIBLE_TO_ALL)
    return Registration.objects.filter(condition, organization_id=bigint(organization.pk))


@dataclass(frozen=True)
class RegistrationFilter:
    campaign: int | None = None
    field: int | None = None
    unit: int | None = None
    group: int | None = None
    status: str | None = None
    query: str = ""
    sort: str = DEFAULT_SORT


def search(queryset: QuerySet[Registration], query: str) -> QuerySet[Registration]:
    """Accent-insensitive: every word of ``query`` must appear in the name or content.

    On a queryset filtered on ``organization_id=bigint(…)`` the trigram index on
    (organisation, folded text) answers it with the organisation's rows only."""
    for word in fold(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def registration_list(
    *, user: User, organization: Organization, filters: RegistrationFilter
) -> QuerySet[Registration]:
    registrations = visible_registrations(user=user, organization=organization)
    if filters.campaign:
        registrations = registrations.filter(campaign_id=filters.campaign)
    if filters.field:
        registrations = registrations.filter(field_id=filters.field)
    if filters.unit:
        registrations = registrations.filter(unit_id=filters.unit)
    if filters.status:
        registrations = registrations.filter(status=filters.status)
    if filters.query:
        registrations = search(registrations, filters.query)
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if filters.group:
        registrations = registrations.filter(unit__group_id=filters.group)
    return (
        registrations.select_related("unit", "field", "campaign")
        .prefetch_related("campaign__form_questions")
        .order_by(*order, "pk")
    )


# What a line of the review queue shows (templates/models_registry/list.html): the long
# texts of a registration are left in the database.
LIST_COLUMNS = (
    "organization_id",
    "campaign__id",
    "unit__name",
    "field__name",
    "field__name_en",
    "sequence",
    "code",
    "name",
    "status",
    "on_behalf",
    "answers",
    "updated_at",
)


def registration_lines(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """``registration_list`` for a page of lines: only the columns a line shows. The
    campaigns' questions are read by ``with_form_questions`` for the page's lines."""
    return queryset.prefetch_related(None).only(*LIST_COLUMNS)


def with_form_questions(registrations: list[Registration]) -> list[Registration]:
    """``registrations`` with their campaigns' form questions, read in one query and
    built once per campaign: every line of a page has its own campaign object, and a
    prefetch builds a related manager and the questions again for each."""
    from models_registry.questions import questions_from_rows

    rows: dict[int, list[FormQuestion]] = {}
    campaign_ids = {registration.campaign_id for registration in registrations}
    for row in FormQuestion.objects.filter(campaign_id__in=campaign_ids).order_by("position", "pk"):
        rows.setdefault(row.campaign_id, []).append(row)
    built = {
        campaign_id: questions_from_rows(rows.get(campaign_id, [])) for campaign_id in campaign_ids
    }
    for registration in registrations:
        registration.campaign._questions = built[registration.campaign_id]
    return registrations


def registration_for_export(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    return queryset.select_related("unit__group", "field", "campaign").prefetch_related(
        "partners__unit", "milestones"
    )


def registration_detail(*, registration_id: int, organization: Organization) -> Registration:
    return (
        Registration.objects.select_related(
            "unit", "field", "campaign__issuing_body", "organization", "created_by"
        )
        .prefetch_related("partners__unit", "milestones", "campaign__form_questions")
        .get(pk=registration_id, organization=organization)
    )


def registration_evidence(registration: Registration) -> list[Evidence]:
    return list(registration.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk"))


def registration_reports(registration: Registration):
    from django.db.models import Prefetch

    return registration.reports.select_related("author").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    )


@dataclass(frozen=True)
class TimelineEntry:
    when: object
    who: str
    action: str
    note: str
    is_comment: bool


def registration_timeline(registration: Registration) -> list[TimelineEntry]:
    """Status changes (from the audit trail) and comments, oldest first."""
    content_type = ContentType.objects.get_for_model(Registration)
    events = AuditEvent.objects.filter(
        content_type=content_type,
        object_id=str(registration.pk),
        action__in=[f"registration.{status}" for status in Registration.Status.values]
        + [
            "registration.create",
            "registration.report",
            "registration.launch",
            "registration.level",
        ],
    ).order_by("created_at", "pk")
    entries = [
        TimelineEntry(
            event.created_at, event.actor_name, event.action.split(".", 1)[1], event.note, False
        )
        for event in events
    ]
    comments = Comment.objects.filter(registration=registration).select_related("author")
    entries += [
        TimelineEntry(c.created_at, c.author.full_name if c.author else "", "comment", c.body, True)
        for c in comments
    ]
    return sorted(entries, key=lambda entry: entry.when)


def active_fields(organization: Organization) -> QuerySet[Field]:
    """The organisation's fields in use, in its order."""
    return Field.objects.filter(organization=organization, is_active=True).order_by(
        "position", "name"
    )


def organization_fields(organization: Organization | int) -> QuerySet[Field]:
    """Every field of the organisation, retired ones included (older records use them)."""
    return Field.objects.filter(organization=organization).order_by("position", "name")


def campaign_model_counts(campaign) -> dict:
    """One aggregate query: the campaign's models submitted at least once, accepted (and
    what followed), launched, owned by individuals, continued from an earlier year, and
    recognised at each level. For a stage, across its yearly campaigns, with a second
    query for the figures of each year."""
    from django.db.models import Count

    if campaign.is_stage:
        registrations = Registration.objects.filter(campaign__stage=campaign)
    else:
        registrations = Registration.objects.filter(campaign=campaign)

    levels = [value for value in Registration.Level.values if value]
    counts = {
        "registered": Count("pk", filter=Q(status__in=REGISTERED)),
        "accepted": Count("pk", filter=Q(status__in=ACCEPTED)),
        "recognised": Count("pk", filter=~Q(recognition_level="")),
        "continued": Count("pk", filter=Q(continues__isnull=False)),
    }
    totals = registrations.aggregate(
        **counts,
        launched=Count("pk", filter=Q(launched_on__isnull=False)),
        individual=Count(
            "pk",
            filter=Q(owner_kind=Registration.Owner.INDIVIDUAL)
            & ~Q(status=Registration.Status.DRAFT),
        ),
        **{f"level_{value}": Count("pk", filter=Q(recognition_level=value)) for value in levels},
    )
    totals["levels"] = [
        (str(Registration.Level(value).label), totals.pop(f"level_{value}")) for value in levels
    ]
    totals["years"] = (
        list(
            registrations.order_by()
            .values("campaign__year")
            .annotate(**counts)
            .order_by("campaign__year")
        )
        if campaign.is_stage
        else []
    )
    return totals


# Models that continue within a stage ----------------------------------------------------

CONTINUES_FROM = frozenset(
    {Registration.Status.ACCEPTED, Registration.Status.RECOGNISED, Registration.Status.REPLICATED}
)


def continuable(*, campaign):
    """The models of the earlier years of ``campaign``'s stage that may continue into it:
    accepted or recognised, and not continued into this campaign yet."""
    if campaign.stage_id is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            campaign__stage_id=campaign.stage_id,
            campaign__year__lt=campaign.year,
            status__in=CONTINUES_FROM,
            organization_id=campaign.organization_id,
        )
        .exclude(continued_by__isnull=False)
        .select_related("unit", "campaign", "field")
        .order_by("-campaign__year", "unit__name", "sequence")
    )


def registration_history(registration: Registration) -> list[Registration]:
    """The model's years in its stage, oldest first: the registrations it continues and
    the one that continues it (a query per year; a stage lasts a few years)."""
    earlier = []
    current = registration
    while current.continues_id:
        current = Registration.objects.select_related("campaign").get(pk=current.continues_id)
        earlier.append(current)
    later = []
    current = registration
    while True:
        following = (
            Registration.objects.select_related("campaign").filter(continues=current).first()
        )
        if following is None:
            break
        later.append(following)
        current = following
    return [*reversed(earlier), registration, *later]


def late_exceptions_until(*, organization, unit_ids, today) -> dict:
    """For each campaign where one of ``unit_ids`` holds a late-submission exception
    still running on ``today``, the last day it runs (one query)."""
    return dict(
        LateException.objects.filter(
            campaign__organization=organization, unit_id__in=unit_ids, expires_on__gte=today
        )
        .order_by()
        .values("campaign_id")
        .annotate(last=Max("expires_on"))
        .values_list("campaign_id", "last")
    )


def late_requests_of_campaign(*, campaign) -> tuple[list[LateRequest], list[LateRequest]]:
    """The campaign's late-submission requests for the office: the pending ones, the
    nearest wished day first, and the decided ones, the latest decision first (one
    query)."""
    rows = list(
        LateRequest.objects.filter(campaign=campaign)
        .select_related("unit", "requested_by", "decided_by")
        .order_by("wished_until", "created_at", "pk")
    )
    pending = [row for row in rows if row.status == LateRequest.Status.PENDING]
    decided = sorted(
        (row for row in rows if row.status != LateRequest.Status.PENDING),
        key=lambda row: (row.decided_at or row.created_at, row.pk),
        reverse=True,
    )
    return pending, decided


def late_requests_of_unit(*, campaign, unit) -> list[LateRequest]:
    """A unit's requests for a campaign, the latest first (one query)."""
    return list(
        LateRequest.objects.filter(campaign=campaign, unit=unit).select_related(
            "requested_by", "decided_by"
        )
    )


def pending_late_request_campaigns(*, organization, unit_ids) -> set[int]:
    """The campaigns where one of ``unit_ids`` has a request waiting for the office."""
    return set(
        LateRequest.objects.filter(
            organization=organization, unit_id__in=unit_ids, status=LateRequest.Status.PENDING
        ).values_list("campaign_id", flat=True)
    )


def late_state_of_units(*, campaign, unit_ids, today) -> dict[int, tuple]:
    """For each of ``unit_ids``: the last day of its running late exception on
    ``campaign`` (or None) and whether it has a request waiting (two queries)."""
    running = dict(
        LateException.objects.filter(
            campaign=campaign, unit_id__in=unit_ids, expires_on__gte=today
        ).values_list("unit_id", "expires_on")
    )
    waiting = set(
        LateRequest.objects.filter(
            campaign=campaign, unit_id__in=unit_ids, status=LateRequest.Status.PENDING
        ).values_list("unit_id", flat=True)
    )
    return {unit_id: (running.get(unit_id), unit_id in waiting) for unit_id in unit_ids}


def field_label(path: str = "field"):
    """The name of the field at ``path`` in the reader's language, for grouped figures:
    its English name in English where one is set, as ``Field.__str__`` says it."""
    name = F(f"{path}__name")
    if translation.get_language() == "en":
        return Coalesce(NullIf(F(f"{path}__name_en"), Value("")), name)
    return name
