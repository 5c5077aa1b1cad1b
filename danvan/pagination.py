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
