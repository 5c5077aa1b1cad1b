"""Pages of long lists whose cost does not grow with the list."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 2000


class BoundedPaginator(Paginator):
    """A paginator that counts at most ``limit`` + 1 rows.

    An exact count of an organisation's 100,000 registrations reads them all on every
    page view; beyond ``limit`` the page says "more than 2.000" and asks for a narrower
    filter instead. ``is_bounded`` tells whether the count stopped at the limit.
    """

    def __init__(self, object_list, per_page, *, limit: int = COUNT_LIMIT, **kwargs):
        self.limit = limit
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self) -> int:
        # Without order or joins: which rows fill the limit does not change the count.
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @property
    def is_bounded(self) -> bool:
        return self.count > self.limit


def rows_by_key(queryset, keys: list) -> list:
    """The rows of ``queryset`` with these keys, in the keys' order; a row gone since the
    keys were read is left out."""
    found = {row.pk: row for row in queryset.filter(pk__in=keys)}
    return [found[key] for key in keys if key in found]


def first_rows(queryset, count: int) -> list:
    """The first ``count`` rows of ``queryset``, read as ``KeysFirstPaginator`` reads a
    page: their keys in the list's order, then the rows by key."""
    return rows_by_key(queryset, list(queryset.values_list("pk", flat=True)[:count]))


class _RowsByKey:
    """A page read as the keys of its rows (``page_keys``), then the rows by key, in the
    keys' order; a row gone between the two readings leaves the page short."""

    def page_keys(self, bottom: int, top: int) -> list:
        raise NotImplementedError

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count  # as Paginator.page: never past the last row
        rows = rows_by_key(self.object_list, self.page_keys(bottom, top))
        return self._get_page(rows, number, self)


class KeyedPaginator(_RowsByKey, BoundedPaginator):
    """A ``BoundedPaginator`` for lists whose filter reads every match anyway, such as a
    trigram search, whose matches PostgreSQL must all read to sort them.

    One query reads the keys of the first ``limit`` + 1 rows in the list's order: that
    is both the bounded count and the keys of any page within it. The page's rows are
    then read by key. Counting separately would read every match a second time: on a
    search of an organisation's 100,000 registrations, as long again as the page itself.
    """

    @cached_property
    def keys(self) -> list:
        return list(self.object_list.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def count(self) -> int:
        return len(self.keys)

    def page_keys(self, bottom: int, top: int) -> list:
        return self.keys[bottom:top]


class KeysFirstPaginator(_RowsByKey, Paginator):
    """An exact paginator that reads a page's keys before its rows.

    A list sorted on its own table's columns but shown with rows joined from large tables
    (a council meeting's 6,667 votes, each with its nomination's registration among an
    organisation's 100,000) would otherwise be joined whole, then sorted, for one page:
    PostgreSQL hashes every registration to keep a hundred. Here one query reads the
    page's keys in the list's order (``values_list`` leaves the joined rows out), and a
    second reads those rows with everything they show.
    """

    def page_keys(self, bottom: int, top: int) -> list:
        return list(self.object_list.values_list("pk", flat=True)[bottom:top])
