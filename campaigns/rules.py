import rules

from campaigns.models import Campaign
from danvan.accounts.rules import is_member, is_office, is_signer


@rules.predicate
def is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.status == Campaign.Status.DRAFT


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
rules.add_perm("campaigns.issue_campaign", is_signer & is_draft)
rules.add_perm("campaigns.close_campaign", is_office & is_issued)
