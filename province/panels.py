"""What the province app shows on other apps' pages (see danvan.panels)."""

from django.template.loader import render_to_string

from awards.models import Escalation
from province.forms import ProposalSendForm
from province.models import Proposal
from province.selectors import province_of


def nomination_proposal_panel(request, nomination) -> str:
    """On an escalated nomination's page: where its proposal to the province stands (and
    the province's decision), or, for the commune's office, the form that sends it."""
    if nomination.status != nomination.Status.ESCALATED:
        return ""
    escalation = Escalation.objects.filter(nomination=nomination).first()
    if escalation is None:
        return ""
    proposal = Proposal.objects.filter(escalation=escalation).select_related("organization").first()
    may_send = (
        proposal is None
        and escalation.status == Escalation.Status.SENT
        and request.user.has_perm("province.send_proposal", nomination.organization)
    )
    province = province_of(nomination.organization) if may_send else None
    if proposal is None and province is None:
        return ""
    return render_to_string(
        "province/_nomination_panel.html",
        {
            "proposal": proposal,
            "escalation": escalation,
            "province": province,
            "form": ProposalSendForm(),
        },
        request=request,
    )
