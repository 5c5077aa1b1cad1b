"""Who may see and do what at the level above the communes.

A province's people hold the roles ``province_office`` (runs the commendation at the
province: receives, returns, accepts and decides the communes' proposals) and
``province_viewer`` (reads the roll-up) in the province's own organisation; those roles
give nothing inside a commune, and a commune's roles give nothing in the province.
Superusers count as the office of every province, as they do for communes.
"""

import rules

from danvan.accounts.models import Membership, Organization
from danvan.accounts.rules import has_role, is_office, is_superuser
from danvan.accounts.selectors import roles_in

Role = Membership.Role


@rules.predicate
def is_above_communes(user, obj) -> bool:
    """The object is a province (a body above communes), or is held in one's queue."""
    organization = obj if isinstance(obj, Organization) else getattr(obj, "organization", None)
    return organization is not None and organization.kind == Organization.Kind.PROVINCE


# On the province (an Organization) or a proposal (its ``organization`` is the province).
is_province_office = has_role(Role.PROVINCE_OFFICE) | (is_superuser & is_above_communes)
is_province_reader = has_role(Role.PROVINCE_OFFICE, Role.PROVINCE_VIEWER) | (
    is_superuser & is_above_communes
)


@rules.predicate
def is_office_of_sending_commune(user, proposal) -> bool:
    """The office of the commune that sent the proposal (or a superuser)."""
    if proposal is None:
        return False
    return bool(getattr(user, "is_superuser", False)) or (
        Role.OFFICE in roles_in(user, proposal.commune_id)
    )


@rules.predicate
def answers_for_escalation(user, escalation) -> bool:
    """The office of the province an escalation travelled to through the portal: it
    records the answer on the commune's escalation (see awards.rules.is_level_above)."""
    proposal = getattr(escalation, "proposal", None) if escalation is not None else None
    return proposal is not None and is_province_office.test(user, proposal)


rules.add_perm("province.view_rollup", is_province_reader)
rules.add_perm("province.view_queue", is_province_office)
# On a commune: its office sends escalated nominations up and follows them.
rules.add_perm("province.send_proposal", is_office & ~is_above_communes)
