"""Writing audit events. Every service that changes data calls ``audit_record``."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from danvan.accounts.models import Membership, User
from danvan.accounts.rules import organization_id_of
from danvan.audit.models import AuditEvent


def _plain(value):
    """A JSON-friendly, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The current values of ``fields``, for a before/after comparison."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation and not field.many_to_many:
            values[name] = _plain(getattr(instance, name))
        elif field.many_to_many:
            values[name] = sorted(str(item) for item in getattr(instance, name).all())
        else:
            values[name] = _plain(getattr(instance, field.attname))
    return values


def changes_between(before: dict, after: dict) -> dict:
    """``{field: [before, after]}`` for the fields whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def _organization_id(obj) -> int | None:
    """The organisation an event about ``obj`` belongs to: its own; for a person, the one
    they work in (their first role), so that their office reads what was done to them."""
    found = organization_id_of(obj)
    if found is None and isinstance(obj, User) and obj.pk is not None:
        found = (
            Membership.objects.filter(user=obj)
            .order_by("pk")
            .values_list("organization_id", flat=True)
            .first()
        )
    return found


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organization=None,
    changes: dict | None = None,
    note: str = "",
    at: datetime | None = None,
) -> AuditEvent:
    """Insert one audit event. Call inside the service's transaction.

    ``at`` dates the event in the past, for records entered after the fact (a plan signed
    on paper, a year's history loaded at installation); by default it is now."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    organization_id = organization.pk if organization is not None else _organization_id(obj)
    return AuditEvent.objects.create(
        organization_id=organization_id,
        actor=actor_user,
        actor_name=(actor_user.full_name or actor_user.username) if actor_user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
        note=note,
        **({"created_at": at} if at is not None else {}),
    )
