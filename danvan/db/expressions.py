"""Typed values and shared expressions for queries."""

from django.db.models import BigIntegerField, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce


def bigint(value: int | None):
    """``value`` as a bigint in SQL. Organisation ids are bigints; compared with a plain
    integer parameter (what the driver sends for a small number), PostgreSQL cannot use
    the organisation column of a GIN index (btree_gin has no cross-type operators), so a
    search would read every organisation's matches. Filter on ``bigint(org.pk)``."""
    return Cast(Value(value), output_field=BigIntegerField())


def total_per_row(rows: QuerySet, aggregate, output_field=None) -> Coalesce:
    """``aggregate`` over ``rows`` for each row of the outer query, 0 where it has none:
    ``rows`` are filtered on an ``OuterRef`` and reduced with ``values()`` to that key.

    A subquery of its own rather than an aggregate over a join: beside another aggregate,
    Django would group the outer rows by such a total too, and PostgreSQL would then work
    it out again for every joined row."""
    return Coalesce(
        Subquery(rows.annotate(total=aggregate).values("total")),
        0,
        output_field=output_field or IntegerField(),
    )
