"""Typed values for queries."""

from django.db.models import BigIntegerField, Value
from django.db.models.functions import Cast


def bigint(value: int | None):
    """``value`` as a bigint in SQL. Organisation ids are bigints; compared with a plain
    integer parameter (what the driver sends for a small number), PostgreSQL cannot use
    the organisation column of a GIN index (btree_gin has no cross-type operators), so a
    search would read every organisation's matches. Filter on ``bigint(org.pk)``."""
    return Cast(Value(value), output_field=BigIntegerField())
