"""Reads about organisations, units and people, shared by views, rules and exports."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from danvan.accounts.models import Membership, Organization, Unit, User
from danvan.text import natural_sort_key

Role = Membership.Role
BACK_OFFICE_ROLES = frozenset({Role.OFFICE, Role.CHAIRMAN, Role.VICE_CHAIRMAN})
SIGNING_ROLES = frozenset({Role.CHAIRMAN, Role.VICE_CHAIRMAN})

_CACHE_ATTR = "_portal_memberships"


def memberships_for(user: User) -> list[Membership]:
    """All of a user's memberships in active organisations, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, organization__is_active=True)
            .select_related("organization", "unit")
            .order_by("organization__name", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: User) -> None:
    """Drop the cached memberships after they changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user: User, organization_id: int | None) -> frozenset[str]:
    if organization_id is None:
        return frozenset()
    return frozenset(m.role for m in memberships_for(user) if m.organization_id == organization_id)


def unit_ids_in(user: User, organization_id: int | None, *roles: str) -> frozenset[int]:
    """The units the user belongs to in an organisation, optionally through given roles only."""
    return frozenset(
        m.unit_id
        for m in memberships_for(user)
        if m.organization_id == organization_id and m.unit_id and (not roles or m.role in roles)
    )


def units_without_officer(*, organization: Organization) -> QuerySet[Unit]:
    """The organisation's units with no active officer: the office enters their papers."""
    officers = Membership.objects.filter(
        unit=OuterRef("pk"), role=Membership.Role.UNIT_OFFICER, user__is_active=True
    )
    return Unit.objects.filter(organization=organization).exclude(Exists(officers))


def units_without_officer_ids(unit_ids) -> frozenset[int]:
    """Those of ``unit_ids`` that have no active officer."""
    with_officer = Membership.objects.filter(
        unit_id__in=unit_ids, role=Membership.Role.UNIT_OFFICER, user__is_active=True
    ).values_list("unit_id", flat=True)
    return frozenset(unit_ids) - frozenset(with_officer)


def organizations_for(user: User) -> list[Organization]:
    """The organisations a user may work in: their own, or every active one for a superuser."""
    if user.is_superuser:
        return list(Organization.objects.filter(is_active=True))
    seen: dict[int, Organization] = {}
    for membership in memberships_for(user):
        seen.setdefault(membership.organization_id, membership.organization)
    return list(seen.values())


def user_has_back_office(user: User) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(m.role in BACK_OFFICE_ROLES for m in memberships_for(user))


def unit_list(*, organization: Organization, active_only: bool = False) -> QuerySet[Unit]:
    units = Unit.objects.filter(organization=organization)
    if active_only:
        units = units.filter(is_active=True)
    return units.order_by("name")


def units_with_members(*, organization: Organization) -> QuerySet[Unit]:
    """Units of an organisation with their members' memberships prefetched (people who
    have left, no longer active, are not its members any more)."""
    members = (
        Membership.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "role")
    )
    return unit_list(organization=organization).prefetch_related(
        Prefetch("memberships", queryset=members, to_attr="member_list")
    )


def people_list(*, organization: Organization) -> QuerySet[Membership]:
    """Everyone with a role in the organisation, one row per role."""
    return (
        Membership.objects.filter(organization=organization, user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name", "role")
    )


def units_export_rows(*, organization: Organization):
    """Rows for the units workbook, in the column order of ``tables.UNIT_COLUMNS``, the
    units in natural order, as the portal lists them ("Tổ dân phố 2" before "Tổ dân phố
    10", "Đoàn …" among the D's), whatever the database's collation."""
    units = sorted(
        unit_list(organization=organization).select_related("group"),
        key=lambda unit: natural_sort_key(unit.name),
    )
    for unit in units:
        yield [
            unit.name,
            unit.short_name,
            str(unit.get_kind_display()),
            unit.group.name if unit.group else "",
            "có" if unit.is_active else "không",
        ]


def users_export_rows(*, organization: Organization):
    """Rows for the people workbook: one per role, in the order of ``tables.USER_COLUMNS``."""
    memberships = (
        Membership.objects.filter(organization=organization)
        .select_related("user", "unit")
        .order_by("user__username", "role")
    )
    for membership in memberships:
        user = membership.user
        yield [
            user.username,
            user.full_name,
            user.email,
            user.phone,
            user.position_title,
            str(membership.get_role_display()),
            membership.unit.short_name if membership.unit else "",
            "có" if user.is_active else "không",
        ]


# Who may manage whose account -------------------------------------------------------


def account_roles(user: User) -> list[tuple[int, str]]:
    """``(organization id, role)`` for every membership of ``user``, active organisation or
    not: a chairman of a suspended commune is still a chairman. Uses ``memberships``
    prefetched on the user when there are any."""
    return [(m.organization_id, m.role) for m in user.memberships.all()]


def office_organization_ids(user: User) -> frozenset[int]:
    """The organisations whose people the user manages as office staff."""
    return frozenset(m.organization_id for m in memberships_for(user) if m.role == Role.OFFICE)


# Second factor ---------------------------------------------------------------------

_TOTP_CACHE_ATTR = "_portal_totp_device"


def needs_second_factor(user: User) -> bool:
    """Who must sign in with a second factor when it is required: everyone who reaches
    the back office (office staff, chairman, vice-chairmen) and superusers."""
    return user_has_back_office(user)


def totp_device_for(user: User):
    """The user's confirmed authenticator app, or None; looked up once per user object."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _TOTP_CACHE_ATTR):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
        setattr(user, _TOTP_CACHE_ATTR, device)
    return getattr(user, _TOTP_CACHE_ATTR)


def forget_second_factor(user: User) -> None:
    if hasattr(user, _TOTP_CACHE_ATTR):
        delattr(user, _TOTP_CACHE_ATTR)


def has_second_factor(user: User) -> bool:
    return totp_device_for(user) is not None


def backup_codes_left(user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
