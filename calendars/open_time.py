"""Cumulative open time: how :class:`~calendars.business_calendar.BusinessCalendar` skips weeks
and years instead of stepping through days.

Pure Python (no Django). Open time is in integer microseconds, days are proleptic ordinals
(ordinal 1 is a Monday). Per weekday the open time is known, so a run of ordinary weeks is a
multiplication. Per calendar year, built lazily once, a :class:`YearTable` lists the year's
*irregular* days (days off, special hours and DST-switch days whose open time differs from
their weekday's) with the cumulative open time before and after each one. The open time over
any span of days is then a division by the week, a table lookup and a binary search.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from calendars.hours import MAX_ORDINAL, MAX_YEAR, MIDNIGHT

__all__ = ["HORIZON_YEARS", "OpenTime", "YearTable"]

#: ``next_open``/``add`` give up after this many consecutive calendar years without an opening.
HORIZON_YEARS = 10


class YearTable:
    """Cumulative open time of one calendar year.

    ``cum(n)`` (see :meth:`OpenTime.cum`) is the open time of all days before ordinal ``n`` in a
    frame local to this year: the regular weekly pattern counted from ordinal 1, corrected by
    the deltas of this year's irregular days before ``n``.
    """

    __slots__ = ("year", "first", "end", "days", "dsum", "before", "after", "c_first", "c_end")

    def __init__(
        self,
        year: int,
        first: int,
        end: int,
        days: list[int],
        dsum: list[int],
        before: list[int],
        after: list[int],
        c_first: int,
        c_end: int,
    ) -> None:
        self.year = year
        self.first = first  # ordinal of 1 January
        self.end = end  # ordinal of 1 January of the next year
        self.days = days  # irregular ordinals, sorted
        self.dsum = dsum  # dsum[j]: sum of deltas of days[:j]
        self.before = before  # before[j]: cum(days[j])
        self.after = after  # after[j]: cum(days[j] + 1)
        self.c_first = c_first  # cum(first)
        self.c_end = c_end  # cum(end)

    @property
    def total(self) -> int:
        return self.c_end - self.c_first


class OpenTime:
    """The cumulative open time of one calendar, by weekday and by year.

    ``weekday_us[i]`` is the regular open time of weekday ``i`` (0 = Monday); ``marked`` are the
    dates whose hours may differ (days off, special hours); ``day_open_us(n)`` is the actual
    open time of local day ``n``, asked only for marked days and days around a change of UTC
    offset in ``tz``, when a year's table is built.
    """

    __slots__ = (
        "tz",
        "weekday_us",
        "week_us",
        "prefix",
        "_marked_by_year",
        "_day_open_us",
        "_years",
        "_last_year",
    )

    def __init__(
        self,
        tz: ZoneInfo,
        weekday_us: tuple[int, ...],
        marked: Iterable[dt.date],
        day_open_us: Callable[[int], int],
    ) -> None:
        self.tz = tz
        self.weekday_us = weekday_us
        self.week_us = sum(weekday_us)
        prefix = [0]
        for w in weekday_us:
            prefix.append(prefix[-1] + w)
        self.prefix = tuple(prefix)  # prefix[i]: open time of weekdays 0..i-1; [7] = the week
        by_year: dict[int, set[int]] = {}
        for d in marked:
            by_year.setdefault(d.year, set()).add(d.toordinal())
        self._marked_by_year = {y: sorted(ns) for y, ns in by_year.items()}
        self._day_open_us = day_open_us
        self._years: dict[int, YearTable] = {}
        self._last_year: YearTable | None = None

    def year(self, year: int) -> YearTable:
        """The table of ``year``, built on first use."""
        table = self._years.get(year)
        if table is None:
            table = self._build_year(year)
            self._years[year] = table
        self._last_year = table
        return table

    def year_of(self, n: int) -> YearTable:
        """The table of the year that holds day ``n``."""
        table = self._last_year
        if table is not None and table.first <= n < table.end:
            return table
        return self.year(dt.date.fromordinal(n).year)

    def nominal(self, n: int) -> int:
        """Open time of days 1 .. n-1 (proleptic ordinals) if every day kept its weekly hours."""
        weeks, weekday = divmod(n - 1, 7)  # ordinal 1 is a Monday
        return weeks * self.week_us + self.prefix[weekday]

    def cum(self, table: YearTable, n: int) -> int:
        """Open time before day ``n`` (``table.first <= n <= table.end``) in ``table``'s frame."""
        return self.nominal(n) + table.dsum[bisect_left(table.days, n)]

    def _build_year(self, year: int) -> YearTable:
        if not 1 <= year <= MAX_YEAR:
            raise ValueError(f"year {year} is outside the range datetime can represent")
        first = dt.date(year, 1, 1).toordinal()
        end = dt.date(year + 1, 1, 1).toordinal() if year < MAX_YEAR else MAX_ORDINAL + 1
        candidates = set(self._marked_by_year.get(year, ()))
        # Days around a change of UTC offset may have more or less open time than usual.
        tz = self.tz
        previous = None
        for n in range(max(first - 1, 1), min(end + 1, MAX_ORDINAL + 1)):
            offset = dt.datetime.combine(dt.date.fromordinal(n), MIDNIGHT, tzinfo=tz).utcoffset()
            if previous is not None and offset != previous:
                candidates.update((n - 2, n - 1, n))
            previous = offset
        days: list[int] = []
        deltas: list[int] = []
        for n in sorted(candidates):
            if not first <= n < end:
                continue
            delta = self._day_open_us(n) - self.weekday_us[(n - 1) % 7]
            if delta:
                days.append(n)
                deltas.append(delta)
        dsum = [0]
        for delta in deltas:
            dsum.append(dsum[-1] + delta)
        before = [self.nominal(n) + dsum[j] for j, n in enumerate(days)]
        after = [self.nominal(n + 1) + dsum[j + 1] for j, n in enumerate(days)]
        return YearTable(
            year,
            first,
            end,
            days,
            dsum,
            before,
            after,
            self.nominal(first),
            self.nominal(end) + dsum[-1],
        )

    def between(self, a: int, b: int) -> int:
        """Open time of the local days ``a`` .. ``b - 1`` (0 when ``b <= a``)."""
        if b <= a:
            return 0
        table = self.year_of(a)
        if b <= table.end:
            return self.cum(table, b) - self.cum(table, a)
        total = table.c_end - self.cum(table, a)
        year = table.year + 1
        while True:
            table = self.year(year)
            if b <= table.end:
                return total + self.cum(table, b) - table.c_first
            total += table.total
            year += 1

    def find_day(self, n: int, amount: int) -> tuple[int, int]:
        """The first day ``m >= n`` by whose end days ``n .. m`` hold ``amount`` (> 0) of open
        time, and how much of ``amount`` falls on day ``m`` (``0 < part <= open time of m``).

        Whole years are skipped by their totals; within the year, a binary search over the
        irregular days finds the run of regular days (or the irregular day) where the target
        lies, and in a run of regular days the day follows from dividing by the week's open time.
        Raises ``ValueError`` after :data:`HORIZON_YEARS` consecutive years without open time.
        """
        table = self._last_year
        if table is None or not table.first <= n < table.end:
            table = self.year(dt.date.fromordinal(n).year)
        week = self.week_us
        prefix = self.prefix
        # nominal(n) and cum(table, n), inlined: this runs once per add() and next_open().
        weeks, weekday = divmod(n - 1, 7)
        c_n = weeks * week + prefix[weekday] + table.dsum[bisect_left(table.days, n)]
        rest = table.c_end - c_n
        if amount > rest:
            amount -= rest
            idle = 0
            year = table.year + 1
            while True:
                table = self.year(year)
                total = table.c_end - table.c_first
                if amount <= total:
                    break
                amount -= total
                idle = 0 if total else idle + 1
                if idle >= HORIZON_YEARS:
                    raise ValueError(
                        f"no opening in the {HORIZON_YEARS} years up to {year}: "
                        "the calendar has no hours there"
                    )
                year += 1
            c_n = table.c_first
        target = c_n + amount
        # First day m with cum(m + 1) >= target.
        j = bisect_left(table.after, target)
        if j < len(table.days) and table.before[j] < target:
            return table.days[j], target - table.before[j]
        # m is in the run of regular days before days[j] (or after the last irregular day),
        # where cum(x) = nominal(x) + dsum[j]; that run has open time, or target would have
        # fallen on an irregular day. Find the first x with nominal(x) >= wanted; m = x - 1.
        wanted = target - table.dsum[j]
        weeks = (wanted - 1) // week
        weekday = bisect_left(prefix, wanted - weeks * week)  # 1..7: m's weekday + 1
        return weeks * 7 + weekday, wanted - weeks * week - prefix[weekday - 1]
