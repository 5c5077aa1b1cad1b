"""What the reports app shows on the campaign's page (see danvan.panels)."""

from django.template.loader import render_to_string


def campaign_reports_panel(request, campaign) -> str:
    """Links to the campaign's progress at a glance and its review reports."""
    if campaign.is_draft or not request.user.has_perm("reports.view_progress", campaign):
        return ""
    return render_to_string("reports/_campaign_panel.html", {"campaign": campaign}, request=request)
