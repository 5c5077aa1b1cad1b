import rules

from campaigns.models import Campaign
from danvan.accounts.rules import is_member, is_office, is_signer


@rules.predicate
def is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.status == Campaign.Status.DRAFT


@rules.predicate
def by_other_body(user, campaign) -> bool:
    """Launched by the Party committee or the Front, which sign on paper: the office
    records the signed document."""
    return campaign is not None and campaign.issuing_body_id is not None


# Who issues the plan: the chairman or a vice-chairman signs the People's Committee's; the
# office records the one the Party committee or the Front signed.
issues_plan = (is_signer & ~by_other_body) | (is_office & by_other_body)


@rules.predicate
def is_issued(user, campaign) -> bool:
    return campaign is not None and campaign.status == Campaign.Status.ISSUED


# Drafts are the office's working copy; the chairman and vice-chairmen read them to sign.
can_view = is_member & (~is_draft | is_office | is_signer)

rules.add_perm("campaigns.view_campaign", can_view)
rules.add_perm("campaigns.view_drafts", is_office | is_signer)
rules.add_perm("campaigns.add_campaign", is_office)
rules.add_perm("campaigns.change_campaign", is_office & is_draft)
rules.add_perm("campaigns.clone_campaign", is_office)
rules.add_perm("campaigns.issue_campaign", issues_plan & is_draft)
rules.add_perm("campaigns.close_campaign", is_office & is_issued)
# The People's Committee's draft plan goes to its signers; the others are signed on paper.
rules.add_perm("campaigns.send_for_signature", is_office & is_draft & ~by_other_body)
