"""Who may see and do what in the commendation: units propose, the office runs the
council and what goes to the level above, the chairman and vice-chairmen decide.
Nomination status moves and who may make them are in ``services.WORKFLOW``."""

import rules

from danvan.accounts.rules import (
    is_back_office,
    is_member,
    is_office,
    is_officer_of_unit,
    is_signer,
    is_unit_officer,
)


@rules.predicate
def is_proposer(user, nomination) -> bool:
    return nomination is not None and nomination.proposed_by_id == user.pk


# The level above (a province) answers an escalation sent to it through the portal. Its
# app registers the predicate that says who answers for it (this app cannot import it).
_level_above: list[rules.Predicate] = []


def register_level_above(predicate: rules.Predicate) -> None:
    if predicate not in _level_above:
        _level_above.append(predicate)


@rules.predicate
def is_level_above(user, escalation) -> bool:
    return any(predicate.test(user, escalation) for predicate in _level_above)


# On the organisation or a campaign.
rules.add_perm("awards.use_awards", is_back_office | is_unit_officer)
rules.add_perm("awards.nominate", is_office | is_unit_officer)
rules.add_perm("awards.view_campaign_awards", is_back_office)
rules.add_perm("awards.manage_council", is_office)
rules.add_perm("awards.view_council", is_back_office)
rules.add_perm("awards.view_escalations", is_back_office)
rules.add_perm("awards.view_decisions", is_member)
rules.add_perm("awards.decide", is_signer)
# On a nomination.
rules.add_perm("awards.view_nomination", is_back_office | is_officer_of_unit)
rules.add_perm("awards.escalate", is_office)
# On an award or an escalation.
rules.add_perm("awards.revoke_award", is_signer)
rules.add_perm("awards.replace_decision", is_signer)
rules.add_perm("awards.record_outcome", is_office)
