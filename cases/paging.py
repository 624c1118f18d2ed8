"""A pager for long lists that never counts more rows than it needs to show where you are.

Counting every match of a filter over 200,000 cases costs a scan of all of them on each
page view, only to print "4,213 cases". ``CappedPaginator`` counts at most ``cap`` rows
(and always far enough to reach the page asked for and the next one); beyond that it
says "more than 1,000", and the pager offers the next page as long as there is one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

#: Rows counted at most before the list says "more than".
COUNT_CAP = 1_000
#: The furthest page counted towards: a page number typed into the address (or a
#: hostile one with forty digits) never makes the count reach further than this.
FURTHEST_PAGE = 10_000


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` stops at ``cap`` rows, rounded up to whole pages
    (``more`` tells it did).

    The count runs without the list's order (an order only makes the database sort
    what it counts) and without its joins' columns, on ``LIMIT cap + 1``.
    """

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int = COUNT_CAP,
        rows: Callable[[Any], Any] | None = None,
        first: Callable[[int, bool], Any] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.rows = rows
        #: ``first(n, ordered)``: a list that holds at least the first ``n`` rows of
        #: ``object_list`` (in its order when ``ordered``; for counting, any ``n`` of
        #: them), for lists whose rows cost more the further one looks (see
        #: ``cases.selectors_text``). None: ``object_list`` itself.
        self.first = first
        self.limit = self._whole_pages(cap)

    def page(self, number: Any) -> Page:
        """The page's rows. With ``rows``, in two steps inside one query: the page's ids
        from the filtered, ordered list (narrow rows, no joins for display), then
        ``rows(ids)``, the display query of just those ids, so a filter that matches
        thousands of rows never joins and sorts thousands of wide ones."""
        if self.rows is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        source = self.first(bottom + self.per_page, True) if self.first else self.object_list
        ids = source.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(list(self.rows(ids)), number, self)

    def get_page(self, number: Any) -> Page:
        """The page asked for, counting at least one page beyond it."""
        try:
            wanted = min(max(int(number), 1), FURTHEST_PAGE)
        except (TypeError, ValueError, OverflowError):
            wanted = 1
        self.limit = self._whole_pages(max(self.cap, (wanted + 1) * self.per_page))
        return super().get_page(number)

    def _whole_pages(self, rows: int) -> int:
        """``rows`` rounded up to whole pages, so the last page counted is a full one."""
        return -(-rows // self.per_page) * self.per_page

    @cached_property
    def count(self) -> int:
        source = self.first(self.limit + 1, False) if self.first else self.object_list
        counted = source.order_by().values("pk")[: self.limit + 1].count()
        self.more = counted > self.limit
        return min(counted, self.limit)

    more = False
