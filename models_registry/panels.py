"""What the registrations app shows on other apps' pages (see danvan.panels)."""

from django.template.loader import render_to_string

from models_registry.selectors import campaign_model_counts


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
