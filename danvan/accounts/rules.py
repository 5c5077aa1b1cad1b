"""Who may do what, as predicates over (user, object).

An object belongs to an organisation either by being one or through its
``organization_id``; roles are looked up in that organisation only, so a role in one
commune never grants anything in another.

Superusers (the province's IT officers) count as office staff of every organisation:
they may do whatever an office may, in the portal and the back office. They never count
as a signer, a unit officer or an evaluator: signing, registering a unit's model and
scoring are personal acts of the people who hold those roles. ``User.has_perm`` has no
shortcut for superusers, so these predicates are the whole answer everywhere (views,
templates, services, the admin).
"""

import rules

from danvan.accounts.models import Membership, Organization, Unit
from danvan.accounts.selectors import (
    SIGNING_ROLES,
    account_roles,
    office_organization_ids,
    roles_in,
    unit_ids_in,
    units_without_officer_ids,
)

Role = Membership.Role


def organization_id_of(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj.pk
    return getattr(obj, "organization_id", None)


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    def check(user, obj=None) -> bool:
        return bool(roles_in(user, organization_id_of(obj)) & wanted)

    return rules.Predicate(check, name="has_role(" + ",".join(sorted(wanted)) + ")")


is_superuser = rules.is_superuser


@rules.predicate
def has_membership(user, obj=None) -> bool:
    return bool(roles_in(user, organization_id_of(obj)))


@rules.predicate
def is_officer_of_unit(user, obj=None) -> bool:
    """The object is, or belongs to (``unit_id``), a unit the user is an officer of."""
    unit_id = obj.pk if isinstance(obj, Unit) else getattr(obj, "unit_id", None)
    if unit_id is None:
        return False
    return unit_id in unit_ids_in(user, organization_id_of(obj), Role.UNIT_OFFICER)


@rules.predicate
def unit_has_no_officer(user, obj=None) -> bool:
    """The unit (or the object's unit) has no active officer of its own: it sends its
    papers by hand or by e-mail, and the office enters them for it. Remembered on the
    object for the rest of the request."""
    unit_id = obj.pk if isinstance(obj, Unit) else getattr(obj, "unit_id", None)
    if unit_id is None:
        return False
    cached = getattr(obj, "_unit_has_no_officer", None)
    if cached is None:
        cached = unit_id in units_without_officer_ids([unit_id])
        obj._unit_has_no_officer = cached
    return cached


is_member = has_membership | is_superuser
is_office = has_role(Role.OFFICE) | is_superuser
is_unit_officer = has_role(Role.UNIT_OFFICER)
is_evaluator = has_role(Role.EVALUATOR)
is_signer = has_role(Role.CHAIRMAN, Role.VICE_CHAIRMAN)
is_chairman = has_role(Role.CHAIRMAN)
# A vice-chairman who is not also the chairman signs "KT. CHỦ TỊCH".
signs_for_chairman = is_signer & ~is_chairman
is_back_office = has_role(Role.OFFICE, Role.CHAIRMAN, Role.VICE_CHAIRMAN) | is_superuser
# Those who read the results of the year (leaders and viewers), besides the office.
is_reader = has_role(Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.VIEWER)
# Who acts for a unit: its own officers, or the office for a unit with no officer.
acts_for_unit = is_officer_of_unit | (is_office & unit_has_no_officer)


@rules.predicate
def may_manage_account(actor, user) -> bool:
    """May ``actor`` change ``user``'s password, e-mail, name, active flag or roles?

    Superusers may change anyone. Office staff may change the people of the
    organisations they are office staff of, except a superuser, anyone who holds the
    chairman's or a vice-chairman's role (in any organisation: the signers' accounts
    stay out of the office's reach) and anyone who also belongs to another organisation.
    The one place that answers this: the admin, the services and the import ask it.
    """
    if user is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    offices = office_organization_ids(actor)
    if not offices:
        return False
    held = account_roles(user)
    return not any(role in SIGNING_ROLES for _org, role in held) and all(
        organization_id in offices for organization_id, _role in held
    )


@rules.predicate
def may_assign_role(actor, role) -> bool:
    """Only a superuser gives or takes away the chairman's or a vice-chairman's role."""
    return bool(getattr(actor, "is_superuser", False)) or role not in SIGNING_ROLES


rules.add_perm("accounts.manage_account", may_manage_account)
rules.add_perm("accounts.view_organization", is_member)
rules.add_perm("accounts.change_organization", is_office)
rules.add_perm("accounts.view_unit", is_member)
rules.add_perm("accounts.manage_directory", is_office)
rules.add_perm("accounts.use_back_office", is_back_office)


def require(predicate: rules.Predicate, user, obj=None) -> None:
    """For services: ``PermissionDenied`` unless ``user`` passes ``predicate`` for ``obj``."""
    from django.core.exceptions import PermissionDenied

    if not predicate.test(user, obj):
        raise PermissionDenied
