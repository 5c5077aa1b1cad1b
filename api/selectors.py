"""The API's reads. Each one is scoped by the token's ``organization_ids()`` and nothing
else, and spells out its joins, so that a list costs the same number of queries for 1
row as for 200. What a row means is read through the apps' own helpers: the questions of
a campaign's form (``models_registry.questions``), the results of a round
(``evaluations.selectors.with_results``), the issued documents
(``danvan.documents.selectors``).

What a token reads is what the organisation's office has made official: campaigns once
issued, registrations once submitted, a round's results once it is closed; nominations,
decisions and awards whatever their state.
"""

from collections.abc import Collection

from django.db.models import Count, Prefetch, QuerySet

from api.models import ApiToken, token_digest
from awards.models import Award, AwardDecision, Nomination
from campaigns.models import Campaign, Item, Section
from danvan.accounts.models import Organization, Unit
from evaluations.models import Inspection, RatingBand, Round
from evaluations.selectors import SUMMARY_COLUMNS, bands_of, with_results
from models_registry.models import Field, FormQuestion, Registration
from models_registry.rules import VISIBLE_TO_OFFICE

Ids = Collection[int]


def token_by_plain(plain: str) -> ApiToken | None:
    """The token whose plain text is ``plain`` (one indexed query), revoked or not."""
    return (
        ApiToken.objects.select_related("organization").filter(digest=token_digest(plain)).first()
    )


# Organisations ----------------------------------------------------------------------


def api_organizations(organization_ids: Ids) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids, is_active=True)


def api_organization_detail(organization_ids: Ids) -> QuerySet[Organization]:
    """With the organisation's units and fields."""
    return api_organizations(organization_ids).prefetch_related(
        Prefetch("units", queryset=Unit.objects.select_related("group").order_by("name")),
        Prefetch("fields", queryset=Field.objects.order_by("position", "name")),
    )


# Campaigns ----------------------------------------------------------------------------


def api_campaigns(organization_ids: Ids) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(organization_id__in=organization_ids)
        .exclude(status=Campaign.Status.DRAFT)
        .select_related("issued_document", "issuing_body", "stage")
    )


def api_campaign_detail(organization_ids: Ids) -> QuerySet[Campaign]:
    """Campaigns with their plan's legal bases, sections and points, and their
    registration form."""
    return api_campaigns(organization_ids).prefetch_related(
        "legal_bases",
        Prefetch(
            "sections",
            queryset=Section.objects.order_by("position", "pk").prefetch_related(
                Prefetch("items", queryset=Item.objects.order_by("position", "pk"))
            ),
        ),
        Prefetch("form_questions", queryset=FormQuestion.objects.order_by("position", "pk")),
    )


# Registrations ------------------------------------------------------------------------


def api_registrations(organization_ids: Ids) -> QuerySet[Registration]:
    """Registrations submitted at least once (a draft is the unit's own until then)."""
    return Registration.objects.filter(
        organization_id__in=organization_ids, status__in=VISIBLE_TO_OFFICE
    ).select_related("campaign", "unit", "field")


def api_registration_detail(organization_ids: Ids) -> QuerySet[Registration]:
    """With what ``models_registry.questions.answers_of`` reads: the campaign's form,
    the partners and the milestones."""
    return api_registrations(organization_ids).prefetch_related(
        "campaign__form_questions", "partners__unit", "milestones"
    )


# Rounds and results ---------------------------------------------------------------------


def api_rounds(organization_ids: Ids) -> QuerySet[Round]:
    return (
        Round.objects.filter(organization_id__in=organization_ids)
        .exclude(campaign__status=Campaign.Status.DRAFT)
        .select_related("campaign")
        .annotate(models=Count("inspections"))
    )


def api_round(organization_ids: Ids, pk: int) -> Round | None:
    return (
        Round.objects.filter(organization_id__in=organization_ids, pk=pk)
        .exclude(campaign__status=Campaign.Status.DRAFT)
        .first()
    )


def api_round_results(round: Round) -> tuple[QuerySet[Inspection], list[RatingBand]]:
    """The round's models with their results (``evaluations.selectors.with_results``),
    published once the round is closed: an open round has no results yet."""
    bands = bands_of(round.campaign_id)
    inspections = Inspection.objects.filter(
        round=round, round__status=Round.Status.CLOSED
    ).select_related("registration__unit", "registration__field")
    inspections = with_results(inspections.only(*SUMMARY_COLUMNS), bands)
    return inspections, bands


# Awards ---------------------------------------------------------------------------------


def api_nominations(organization_ids: Ids) -> QuerySet[Nomination]:
    return Nomination.objects.filter(organization_id__in=organization_ids).select_related(
        "campaign", "unit", "registration", "award_form", "escalation"
    )


def api_decisions(organization_ids: Ids) -> QuerySet[AwardDecision]:
    return (
        AwardDecision.objects.filter(organization_id__in=organization_ids)
        .select_related("issued_document", "signer", "campaign", "replaces", "replaced_by")
        .annotate(award_count=Count("awards"))
    )


def api_decision_detail(organization_ids: Ids) -> QuerySet[AwardDecision]:
    return api_decisions(organization_ids).prefetch_related(
        Prefetch(
            "awards",
            queryset=Award.objects.select_related("award_form", "nomination").order_by("position"),
        )
    )


def api_awards(organization_ids: Ids) -> QuerySet[Award]:
    return Award.objects.filter(organization_id__in=organization_ids).select_related(
        "award_form", "decision__issued_document", "nomination__unit"
    )
