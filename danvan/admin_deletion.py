"""A deletion the admin must refuse, found from the rows that point at what is deleted.

Django's admin collects every row a deletion would reach, and asks for the permission to
delete each of them, before it answers. A unit of a large commune leads 10,000 models with
their inspections, scores and nominations: saying that it cannot be deleted took 11
seconds and 6,687 queries. The rows that point straight at what is deleted are enough to
refuse: one that protects it, or one that would go with it but that the user may not
delete. Each kind of such rows is counted, and only a few are named.
"""

from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from danvan.text import thousands

DELETION_NAMED = 10  # rows named for each kind that stops a deletion


@dataclass
class Refusal:
    """What Django's admin takes from ``get_deleted_objects``, for a refused deletion."""

    perms_needed: set[str] = field(default_factory=set)
    protected: list[str] = field(default_factory=list)

    def as_admin_answer(self) -> tuple[list, dict, set[str], list[str]]:
        # Nothing is listed as deleted: the admin shows only why it cannot be.
        return [], {}, self.perms_needed, self.protected


def _pointing(relation, objs):
    return relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": objs})


def _named(relation, rows, count: int) -> list[str]:
    opts = relation.related_model._meta
    named = [f"{capfirst(opts.verbose_name)}: {row}" for row in rows[:DELETION_NAMED]]
    if count > len(named):
        named.append(
            _("… và %(count)s %(kind)s khác")
            % {"count": thousands(count - len(named)), "kind": opts.verbose_name_plural}
        )
    return named


@cache
def _cascades_to(model) -> frozenset:
    """The models whose rows deleting ``model``'s may delete in turn."""
    reached, todo = set(), [model]
    while todo:
        for relation in todo.pop()._meta.related_objects:
            if relation.on_delete is models.CASCADE and relation.related_model not in reached:
                reached.add(relation.related_model)
                todo.append(relation.related_model)
    return frozenset(reached)


def deletion_refusal(objs, request, admin_site) -> Refusal | None:
    """Why ``objs`` (rows of one model) cannot be deleted by ``request.user``, from the
    rows that point straight at them; None when none of those stops it, and Django's
    own collection (deeper, row by row) decides."""
    if isinstance(objs, QuerySet):
        model = objs.model
    else:
        objs = list(objs)
        if not objs:
            return None
        model = type(objs[0])
    refusal = Refusal()
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            continue
        related = relation.related_model
        # Rows a deletion also reaches by a cascade may go despite protecting: Django's
        # collection decides those.
        if relation.on_delete is models.PROTECT and related not in _cascades_to(model):
            rows = _pointing(relation, objs)
            count = rows.count()
            if count:
                refusal.protected += _named(relation, rows.order_by("pk"), count)
        elif (
            relation.on_delete is models.CASCADE
            and admin_site.is_registered(related)
            and not admin_site.get_model_admin(related).has_delete_permission(request)
        ):
            count = _pointing(relation, objs).count()
            if count:
                refusal.perms_needed.add(
                    f"{related._meta.verbose_name_plural} ({thousands(count)})"
                )
    return refusal if refusal.perms_needed or refusal.protected else None
