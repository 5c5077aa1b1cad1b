"""What the registrations app shows on other apps' pages (see danvan.panels)."""

from django.template.loader import render_to_string

from models_registry.selectors import campaign_model_counts


def campaign_models_panel(request, campaign) -> str:
    """The campaign's models at a glance: registered, accepted, launched, and recognised
    at each level. Shown once the plan is issued, to those who see accepted models."""
    if campaign.is_draft or not request.user.has_perm("campaigns.view_campaign", campaign):
        return ""
    counts = campaign_model_counts(campaign)
    if not counts["registered"]:
        return ""
    return render_to_string(
        "models_registry/_campaign_counts.html",
        {"counts": counts, "campaign": campaign},
        request=request,
    )
