"""Reads about nominations, council votes, decisions and the honour board."""

from datetime import date
from typing import NamedTuple

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from awards.models import (
    AWARDS_IN_FORCE,
    Award,
    AwardDecision,
    CouncilMeeting,
    Escalation,
    Nomination,
    Vote,
)
from campaigns.models import Campaign
from danvan.accounts.models import Membership, Organization, User
from danvan.accounts.selectors import roles_in, unit_ids_in
from danvan.db.expressions import total_per_row
from models_registry.models import Registration

Role = Membership.Role
Status = Nomination.Status


def visible_nominations(*, user: User, organization: Organization) -> QuerySet[Nomination]:
    """Office staff and the signers see all; a unit officer the unit's own nominations."""
    roles = roles_in(user, organization.pk)
    nominations = Nomination.objects.filter(organization=organization)
    if roles & {Role.OFFICE, Role.CHAIRMAN, Role.VICE_CHAIRMAN}:
        return nominations
    return nominations.filter(unit_id__in=unit_ids_in(user, organization.pk, Role.UNIT_OFFICER))


def nomination_list(
    *, user: User, organization: Organization, campaign: Campaign | None = None, status: str = ""
):
    nominations = visible_nominations(user=user, organization=organization)
    if campaign is not None:
        nominations = nominations.filter(campaign=campaign)
    if status:
        nominations = nominations.filter(status=status)
    return nominations.select_related("unit", "registration", "award_form", "campaign").order_by(
        "kind", "pk"
    )


# The long texts of a nomination and of its model, which no list of votes shows: a
# council's minutes of 6,667 votes read them all for nothing.
_VOTE_LINE_DEFERRED = (
    "nomination__achievements",
    "nomination__status_reason",
    *(
        f"nomination__registration__{name}"
        for name in (
            "situation",
            "objectives",
            "success_measures",
            "content_methods",
            "beneficiaries",
            "expected_outputs",
            "sustainability",
            "answers",
            "search_text",
            "status_reason",
        )
    ),
)


def votes_of(meeting: CouncilMeeting) -> QuerySet[Vote]:
    return (
        # The votes are of the meeting's campaign's nominations (``votes_record``): said
        # so, the nominations joined to sort them are the campaign's, read from
        # nomination_org_campaign_kind, not the whole country's (5,000 votes: 32 ms to
        # 3 ms at national size).
        meeting.votes.filter(
            nomination__organization_id=meeting.organization_id,
            nomination__campaign_id=meeting.campaign_id,
        )
        .select_related("nomination__unit", "nomination__registration", "nomination__award_form")
        .defer(*_VOTE_LINE_DEFERRED)
        .order_by("nomination__kind", "nomination_id")
    )


def meeting_votes(meeting: CouncilMeeting) -> list[Vote]:
    return list(votes_of(meeting))


def nominations_shown(meeting: CouncilMeeting, keys) -> QuerySet[Nomination]:
    """The nominations of the meeting's campaign among ``keys`` (as posted by its ballot
    form), in the ballot's order, whatever their status now: the vote service refuses
    those no longer open, by name."""
    keys = [int(key) for key in keys if key.isascii() and key.isdigit() and len(key) <= 18]
    return (
        Nomination.objects.filter(campaign_id=meeting.campaign_id, pk__in=keys)
        .select_related("unit", "registration", "award_form")
        .order_by("kind", "pk")
    )


def nominations_to_vote(meeting: CouncilMeeting) -> QuerySet[Nomination]:
    """What the council votes on: the campaign's nominations still open to a vote, read
    in order from nomination_org_campaign_kind (organisation, campaign, kind, key)."""
    return (
        Nomination.objects.filter(
            organization_id=meeting.organization_id,
            campaign_id=meeting.campaign_id,
            status__in=[Status.PROPOSED, Status.PASSED, Status.NOT_PASSED],
        )
        .select_related("unit", "registration", "award_form")
        .order_by("kind", "pk")
    )


def decisions_for(*, organization: Organization) -> QuerySet[AwardDecision]:
    return (
        AwardDecision.objects.filter(organization=organization)
        .select_related(
            "issued_document",
            "signer",
            "campaign",
            "replaces__issued_document",
            "replaced_by__issued_document",
        )
        .annotate(award_count=Count("awards"))
        .order_by("-decided_on", "-pk")
    )


def decision_awards(decision: AwardDecision) -> QuerySet[Award]:
    return decision.awards.select_related("award_form", "revoked_by", "nomination").order_by(
        "position"
    )


def escalations_for(*, organization: Organization) -> QuerySet[Escalation]:
    return (
        Escalation.objects.filter(organization=organization)
        .select_related("nomination__unit", "nomination__registration", "nomination__award_form")
        .order_by("-sent_on", "-pk")
    )


def honour_years(*, organization: Organization) -> list[int]:
    """The years of the honour board, newest first: those of a decision with an award in
    force."""
    return list(
        AwardDecision.objects.filter(organization=organization)
        .filter(Exists(Award.objects.filter(AWARDS_IN_FORCE, decision=OuterRef("pk"))))
        .order_by("-decided_on__year")
        .values_list("decided_on__year", flat=True)
        .distinct()
    )


def honour_board(*, organization: Organization, year: int) -> QuerySet[Award]:
    """The awards of ``year`` in force (not revoked nor replaced): collectives, models,
    households, people, each in the order of their decision."""
    group = Case(
        When(nomination__kind="model", then=Value(1)),
        When(recipient_kind="collective", then=Value(0)),
        When(recipient_kind="household", then=Value(2)),
        When(recipient_kind="individual", then=Value(3)),
        default=Value(4),
    )
    return (
        Award.objects.filter(AWARDS_IN_FORCE, organization=organization)
        .filter(decision__decided_on__year=year)
        .select_related("award_form", "nomination__registration")
        .order_by(group, "decision__decided_on", "decision_id", "position")
    )


def campaign_summary(*, organization: Organization) -> QuerySet[Campaign]:
    """Issued campaigns with how many nominations each has, by status, and the awards
    their decisions give (how many, how much).

    Each figure is its own subquery, so the campaigns are never grouped: beside a count
    over a join, the totals' subqueries were grouped by too, and PostgreSQL worked them
    out again for every nomination (35 s for three campaigns of 100,000 models)."""
    nominations = Nomination.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
    in_force = (
        Award.objects.filter(AWARDS_IN_FORCE, decision__campaign=OuterRef("pk"))
        .order_by()
        .values("decision__campaign")
    )
    return (
        Campaign.objects.filter(organization=organization)
        .exclude(status=Campaign.Status.DRAFT)
        .annotate(
            nomination_count=total_per_row(
                nominations.exclude(status=Status.WITHDRAWN), Count("pk")
            ),
            passed_count=total_per_row(nominations.filter(status=Status.PASSED), Count("pk")),
            # What the campaign's decisions still give: a revoked award, or one in a
            # decision since replaced, is neither counted nor paid. A campaign with no
            # decision yet has no row to count: nothing awarded, 0, not NULL.
            approved_count=total_per_row(in_force, Count("pk")),
            awarded_vnd=total_per_row(in_force, Sum("amount_vnd"), BigIntegerField()),
        )
        .prefetch_related(
            Prefetch(
                "council_meetings",
                queryset=CouncilMeeting.objects.order_by("-held_on"),
                to_attr="meeting_list",
            )
        )
        .order_by("-year", "name")
    )


def meetings_for_documents() -> QuerySet[CouncilMeeting]:
    """Council meetings with what their minutes and submission print (the campaign, its
    plan, the organisation)."""
    return CouncilMeeting.objects.select_related(
        "campaign", "organization", "campaign__issued_document"
    )


def _awaiting_decision(organization: Organization):
    """The nominations the council passed that the chairman decides (commune-level
    forms), in the desk's order."""
    return Nomination.objects.filter(
        organization=organization, status=Status.PASSED, award_form__level="commune"
    ).order_by("campaign_id", "kind", "pk")


def nominations_awaiting_decision(*, organization: Organization, ids=None) -> list[Nomination]:
    """The nominations the council passed that the chairman decides (commune-level forms),
    each with ``passing_vote``: the vote of the latest meeting that considered it (its
    meeting with the campaign); only those of ``ids`` if given. Four queries whatever the
    number of nominations.

    A large commune's desk holds thousands: each is read with what the desk shows and
    prices (its unit, form, and model's name and owner), each meeting once, not once per
    nomination (1,666 nominations: 11,700 objects built, now 6,700)."""
    votes = Vote.objects.only("nomination_id", "meeting_id", "votes_in_favour").order_by(
        "-meeting__held_on", "-meeting_id"
    )
    models = Registration.objects.only("id", "name", "owner_kind")
    awaiting = _awaiting_decision(organization)
    if ids is not None:
        awaiting = awaiting.filter(pk__in=ids)
    nominations = list(
        awaiting.select_related("unit", "award_form").prefetch_related(
            Prefetch("registration", queryset=models),
            Prefetch("votes", queryset=votes, to_attr="votes_newest_first"),
        )
    )
    passing = {n.pk: n.votes_newest_first[0] for n in nominations if n.votes_newest_first}
    meetings = CouncilMeeting.objects.select_related("campaign").in_bulk(
        {vote.meeting_id for vote in passing.values()}
    )
    for nomination in nominations:
        nomination.passing_vote = passing.get(nomination.pk)
        if nomination.passing_vote is not None:
            nomination.passing_vote.meeting = meetings[nomination.passing_vote.meeting_id]
    return nominations


class AwaitingRow(NamedTuple):
    """A nomination on the chairman's desk, as far as the desk's counts and amounts need."""

    pk: int
    meeting_id: int  # of its passing vote (the latest meeting that considered it); 0: none
    award_form_id: int
    recipient_kind: str


def awaiting_decision_rows(*, organization: Organization) -> list[AwaitingRow]:
    """``nominations_awaiting_decision`` as rows, in the same order, without building a
    nomination: one query, for a desk of thousands (counted and priced by meeting)."""
    latest = (
        Vote.objects.filter(nomination=OuterRef("pk"))
        .order_by("-meeting__held_on", "-meeting_id")
        .values("meeting_id")[:1]
    )
    rows = (
        _awaiting_decision(organization)
        .annotate(passing_meeting=Subquery(latest))
        .values_list("pk", "passing_meeting", "award_form_id", "kind", "registration__owner_kind")
    )
    return [
        AwaitingRow(
            pk,
            meeting or 0,
            form,
            Nomination.recipient_kind_for(kind, owner),
        )
        for pk, meeting, form, kind, owner in rows
    ]


def first_decision_day(nominations) -> date | None:
    """The date of the first decision that awarded any of ``nominations``: an original
    one, since a decision replacing it keeps the original's amounts. One query."""
    return (
        AwardDecision.objects.filter(awards__nomination__in=nominations, replaces__isnull=True)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
