"""What the registrations app shows on other apps' pages (see danvan.panels)."""

from django.template.loader import render_to_string
from django.utils import timezone

from danvan.accounts.models import Membership, Unit
from danvan.accounts.selectors import unit_ids_in
from models_registry.selectors import campaign_model_counts, late_state_of_units


def campaign_models_panel(request, campaign) -> str:
    """The campaign's models at a glance: registered, accepted, launched, and recognised
        at each level, and for office staff of a yearly campaign in a stage the way to carry
    earlier years' models on. Shown once the plan is issued, to those who see accepted
    models."""
    if campaign.is_draft or not request.user.has_perm("campaigns.view_campaign", campaign):
        return ""
    counts = campaign_model_counts(campaign)
    can_continue = bool(campaign.stage_id) and request.user.has_perm(
        "models_registry.continue_models", campaign
    )
    if not counts["registered"] and not can_continue:
        return ""
    return render_to_string(
        "models_registry/_campaign_counts.html",
        {"counts": counts, "campaign": campaign, "can_continue": can_continue},
        request=request,
    )


def campaign_late_request_panel(request, campaign) -> str:
    """For a unit officer, once a yearly campaign's registration deadline has passed and
    while the year runs: each of their units' way to register late — the extension it
    holds, its request waiting, or the button to ask for one."""
    today = timezone.localdate()
    if not campaign.past_registration_deadline(today):
        return ""
    unit_ids = unit_ids_in(request.user, campaign.organization_id, Membership.Role.UNIT_OFFICER)
    if not unit_ids:
        return ""
    state = late_state_of_units(campaign=campaign, unit_ids=unit_ids, today=today)
    units = [
        (unit, *state[unit.pk]) for unit in Unit.objects.filter(pk__in=unit_ids).order_by("name")
    ]
    return render_to_string(
        "models_registry/_campaign_late.html",
        {"campaign": campaign, "units": units},
        request=request,
    )
