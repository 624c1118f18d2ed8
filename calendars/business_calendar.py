"""A pure, time-zone-aware business calendar: opening hours, days off, and open-time arithmetic.

No Django in here: the module is plain Python (``zoneinfo`` and the standard library), so it can
be tested and benchmarked on its own. :class:`BusinessCalendar` answers "is the desk open?",
"when does it open next?", "when have N hours of open time passed?" and "how much open time lies
between two instants?".

Rules
-----
Hours of a day
    The hours of a local date are, in order of precedence: nothing if the date is in ``days_off``;
    else ``special_hours[date]`` if the date is there (an empty sequence means closed); else
    ``weekly_hours[date.weekday()]`` (0 = Monday ... 6 = Sunday; a missing weekday is closed).
    Each interval is a wall-clock ``(start, end)`` pair of naive :class:`datetime.time` with
    ``start < end`` on the same day: openings that straddle midnight are not supported. Intervals
    of one day must not overlap; intervals that touch (``08:00-12:00`` and ``12:00-13:00``) are
    merged into one.

Half-open intervals
    An opening ``08:30-12:30`` is open at 08:30 and closed at 12:30.

Daylight saving time
    Each boundary of an opening is the **earliest instant at which the wall clock of the
    calendar's zone, on that local date, reads the boundary time or later**:

    * an ordinary time is the one instant that shows it;
    * an ambiguous time (the repeated hour when the clocks go back) is its first occurrence,
      i.e. ``fold=0``: an opening 02:30-03:30 on the autumn Sunday in Europe/Amsterdam runs from
      02:30 CEST to 03:30 CET, two hours;
    * a non-existent time (the hour skipped when the clocks go forward) is the moment of the jump:
      an opening 02:30-04:00 on the spring Sunday in Europe/Amsterdam opens at 03:00 CEST and
      lasts one hour, and an opening that lies wholly inside the skipped hour does not happen that
      day. This is *not* ``dateutil.tz.resolve_imaginary`` (which would shift 02:30 to 03:30):
      the desk is open whenever the clock on the wall shows a time within its hours.

    So, outside the repeated autumn hour, an instant is open exactly when its local wall-clock
    time falls in one of its local date's intervals, and every opening stays one contiguous span.
    All arithmetic is done on instants (integer microseconds since the Unix epoch, UTC), never on
    wall-clock differences, so a day with a DST switch inside an opening has 1 h more or less.

Inputs and results
    Methods accept aware :class:`datetime.datetime` objects in any zone; a naive datetime raises
    ``ValueError("naive datetime: pass an aware datetime")``. Every datetime returned is in the
    calendar's zone. Precision is one microsecond.

``add(start, timedelta(0))``
    Is ``start`` when the calendar is open at ``start``, else ``next_open(start)``: zero open time
    has passed as soon as the desk is (or becomes) open. A positive duration that runs out exactly
    at a closing time ends at that closing time, not at the next opening.

Cost
    Nothing steps minute by minute. Per weekday the open time is precomputed, so a normal week's
    open time is a constant. Per year, lazily, the calendar lists its *irregular* days (days off,
    special hours and DST-switch days whose open time differs from their weekday's) with the
    cumulative open time before and after each one. Open time over any span of days is then a
    division by the week, a table lookup and a binary search; ``add`` and ``next_open`` jump whole
    weeks and years arithmetically and only ever look at the hours of two or three actual days.
    Building a year's table (once per calendar and year) checks each day's UTC offset once, about
    a millisecond. A small per-calendar cache holds the openings of days already looked at.
    Searches give up with ``ValueError`` after ten consecutive calendar years without any opening.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["BusinessCalendar", "Hours", "Interval"]

#: One opening: wall-clock ``(start, end)`` with ``start < end``.
Interval = tuple[dt.time, dt.time]
#: The openings of one day, sorted, disjoint and not touching.
Hours = tuple[Interval, ...]

_UTC = dt.UTC
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=_UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_MIDNIGHT = dt.time(0)
_US_PER_SECOND = 1_000_000
_US_PER_DAY = 86_400 * _US_PER_SECOND
_MAX_ORDINAL = dt.date.max.toordinal()
_MAX_YEAR = dt.date.max.year
_FLOAT_SAFE_US = 2**32 * _US_PER_SECOND  # 2106-02-07: see _datetime
#: ``next_open``/``add`` give up after this many consecutive calendar years without an opening.
HORIZON_YEARS = 10
#: Days whose openings are kept per calendar; the cache is emptied when it grows past this.
_DAY_CACHE_LIMIT = 16_384

_NAIVE = "naive datetime: pass an aware datetime"


def _time_us(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def _td_us(td: dt.timedelta) -> int:
    return (td.days * 86_400 + td.seconds) * _US_PER_SECOND + td.microseconds


def _normalise_hours(intervals: Any, where: str) -> Hours:
    """Validate one day's intervals; return them sorted, with touching intervals merged."""
    if isinstance(intervals, (str, bytes)) or not isinstance(intervals, Iterable):
        raise ValueError(f"{where}: expected a sequence of (start, end) pairs, got {intervals!r}")
    pairs: list[Interval] = []
    for item in intervals:
        if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 2:
            raise ValueError(f"{where}: {item!r} is not a (start, end) pair")
        start, end = item
        for t in (start, end):
            if not isinstance(t, dt.time):
                raise ValueError(f"{where}: {t!r} in {item!r} is not a datetime.time")
            if t.tzinfo is not None:
                raise ValueError(f"{where}: {t!r} must be a naive wall-clock time")
        if not start < end:
            raise ValueError(
                f"{where}: interval {start.isoformat()}-{end.isoformat()} must end after it starts"
                " on the same day (openings across midnight are not supported)"
            )
        pairs.append((start, end))
    pairs.sort()
    merged: list[Interval] = []
    for start, end in pairs:
        if merged and start < merged[-1][1]:
            prev = merged[-1]
            raise ValueError(
                f"{where}: intervals {prev[0].isoformat()}-{prev[1].isoformat()} and "
                f"{start.isoformat()}-{end.isoformat()} overlap"
            )
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _plain_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{where}: {value!r} is not a datetime.date")
    return value


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
    raise ValueError(f"tz must be an IANA zone name or a zoneinfo.ZoneInfo, not {tz!r}")


class _Year:
    """Cumulative open time of one calendar year.

    ``cum(n)`` (see :meth:`BusinessCalendar._cum`) is the open time of all days before ordinal
    ``n`` in a frame local to this year: the regular weekly pattern counted from ordinal 1,
    corrected by the deltas of this year's irregular days before ``n``.
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


class BusinessCalendar:
    """Opening hours in one time zone, with days off and special hours.

    ``weekly_hours`` maps a weekday (0 = Monday ... 6 = Sunday) to its ``(start, end)`` wall-clock
    intervals; ``tz`` is an IANA zone name or a :class:`zoneinfo.ZoneInfo`; ``days_off`` are dates
    closed all day; ``special_hours`` maps a date to intervals that replace its weekly hours (an
    empty sequence closes it; ``days_off`` wins over ``special_hours``). Bad configuration raises
    ``ValueError``. See the module docstring for the rules (half-open intervals, DST, precision).
    """

    __slots__ = (
        "tz",
        "days_off",
        "weekly_hours",
        "special_hours",
        "_special",
        "_marked_by_year",
        "_weekday_us",
        "_week_us",
        "_prefix",
        "_days",
        "_years",
        "_last_year",
    )

    tz: ZoneInfo
    days_off: frozenset[dt.date]
    weekly_hours: tuple[Hours, ...]
    special_hours: Mapping[dt.date, Hours]

    def __init__(
        self,
        weekly_hours: Mapping[int, Sequence[tuple[dt.time, dt.time]]],
        tz: str | ZoneInfo,
        days_off: Iterable[dt.date] = (),
        *,
        special_hours: Mapping[dt.date, Sequence[tuple[dt.time, dt.time]]] | None = None,
    ) -> None:
        self.tz = _zone(tz)
        if not isinstance(weekly_hours, Mapping):
            raise ValueError(f"weekly_hours must map weekday to intervals, not {weekly_hours!r}")
        weekly: list[Hours] = [()] * 7
        for day, intervals in weekly_hours.items():
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                raise ValueError(f"weekly_hours: weekday {day!r} is not 0 (Monday) ... 6 (Sunday)")
            weekly[day] = _normalise_hours(intervals, f"weekly_hours[{day}]")
        self.weekly_hours = tuple(weekly)
        self.days_off = frozenset(_plain_date(d, "days_off") for d in days_off)
        special: dict[dt.date, Hours] = {}
        for day, intervals in (special_hours or {}).items():
            d = _plain_date(day, "special_hours")
            special[d] = _normalise_hours(intervals, f"special_hours[{d.isoformat()}]")
        self._special = special
        self.special_hours = MappingProxyType(special)

        marked: dict[int, set[int]] = {}
        for d in self.days_off | special.keys():
            marked.setdefault(d.year, set()).add(d.toordinal())
        self._marked_by_year = {y: sorted(ns) for y, ns in marked.items()}

        self._weekday_us = tuple(sum(_time_us(e) - _time_us(s) for s, e in h) for h in weekly)
        self._week_us = sum(self._weekday_us)
        prefix = [0]
        for w in self._weekday_us:
            prefix.append(prefix[-1] + w)
        self._prefix = tuple(prefix)  # _prefix[i]: open time of weekdays 0..i-1; [7] = the week
        self._days: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {}
        self._years: dict[int, _Year] = {}
        self._last_year: _Year | None = None

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar(tz={self.tz.key!r}, weekly_hours={self.weekly_hours!r}, "
            f"days_off=<{len(self.days_off)} dates>, special_hours=<{len(self._special)} dates>)"
        )

    # ------------------------------------------------------------------ public API

    def hours_on(self, d: dt.date) -> Hours:
        """The wall-clock intervals of local date ``d`` (days off, then special, then weekly)."""
        if d in self.days_off:
            return ()
        special = self._special.get(d)
        if special is not None:
            return special
        return self.weekly_hours[d.weekday()]

    def is_open_day(self, d: dt.date) -> bool:
        """Whether local date ``d`` has any opening (after days off, special hours and DST)."""
        return bool(self._day(_plain_date(d, "is_open_day").toordinal())[1])

    def is_open(self, at: dt.datetime) -> bool:
        """Whether the calendar is open at instant ``at`` (openings are half-open)."""
        us, n = self._instant(at)
        end, opens = self._day(n)
        while us >= end:
            n += 1
            end, opens = self._day(n)
        for s, e in opens:
            if us < e:
                return us >= s
        return False

    def next_open(self, at: dt.datetime) -> dt.datetime:
        """``at`` itself (in the calendar's zone) when open, else the start of the next opening.

        Raises ``ValueError`` when there is no opening within the horizon (ten consecutive years
        without any opening, e.g. a calendar without hours).
        """
        us, n = self._instant(at)
        end, opens = self._day(n)
        while us >= end:
            n += 1
            end, opens = self._day(n)
        for s, e in opens:
            if us < e:
                if us >= s:
                    return at if at.tzinfo is self.tz else at.astimezone(self.tz)
                return self._datetime(s)
        m, _ = self._find_day(n + 1, 1)
        return self._datetime(self._day(m)[1][0][0])

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The earliest instant by which ``duration`` of open time has passed since ``start``.

        Counting starts at ``start`` if open, else at the next opening. A duration that runs out
        exactly at a closing time ends at that closing time. ``add(start, timedelta(0))`` is
        ``next_open(start)`` (``start`` itself when open). A negative duration raises
        ``ValueError``.
        """
        if not isinstance(duration, dt.timedelta):
            raise TypeError(f"duration must be a datetime.timedelta, not {duration!r}")
        amount = _td_us(duration)
        if amount < 0:
            raise ValueError(f"negative duration {duration!r}")
        if amount == 0:
            return self.next_open(start)
        us, n = self._instant(start)
        end, opens = self._day(n)
        while us >= end:
            n += 1
            end, opens = self._day(n)
        for s, e in opens:
            if us < e:
                a = s if s > us else us
                if amount <= e - a:
                    return self._datetime(a + amount)
                amount -= e - a
        m, rest = self._find_day(n + 1, amount)
        for s, e in self._day(m)[1]:
            if rest <= e - s:
                return self._datetime(s + rest)
            rest -= e - s
        raise AssertionError("unreachable: the cumulative tables disagree with the day's hours")

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The open time between ``start`` and ``end``; ``timedelta(0)`` when ``end <= start``."""
        us1, n1 = self._instant(start)
        us2, n2 = self._instant(end)
        if us2 <= us1:
            return dt.timedelta(0)
        day_end, opens1 = self._day(n1)
        while us1 >= day_end:
            n1 += 1
            day_end, opens1 = self._day(n1)
        day_end, opens2 = self._day(n2)
        while us2 >= day_end:
            n2 += 1
            day_end, opens2 = self._day(n2)
        total = 0
        if n1 == n2:
            for s, e in opens1:
                lo = s if s > us1 else us1
                hi = e if e < us2 else us2
                if hi > lo:
                    total += hi - lo
        else:
            for s, e in opens1:
                if e > us1:
                    total += e - (s if s > us1 else us1)
            total += self._open_between(n1 + 1, n2)
            for s, e in opens2:
                if s < us2:
                    total += (e if e < us2 else us2) - s
        return dt.timedelta(microseconds=total)

    def openings(
        self, first_day: dt.date, last_day: dt.date
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The openings of local dates ``first_day`` to ``last_day`` inclusive, as aware
        ``(start, end)`` datetimes in the calendar's zone (empty if ``last_day < first_day``)."""
        first = _plain_date(first_day, "openings").toordinal()
        last = _plain_date(last_day, "openings").toordinal()
        to_dt = self._datetime
        return [(to_dt(s), to_dt(e)) for n in range(first, last + 1) for s, e in self._day(n)[1]]

    # ------------------------------------------------------------------ instants

    def _instant(self, at: dt.datetime) -> tuple[int, int]:
        """``at`` as (microseconds since the epoch, a lower bound of the ordinal of its day).

        The ordinal is the wall-clock date, which is the instant's day except for a non-existent
        wall time or a repeated hour around midnight; callers move it forward while the instant
        lies at or past the day's end (``_day(n)[0]``).
        """
        if not isinstance(at, dt.datetime):
            raise TypeError(f"expected an aware datetime.datetime, not {at!r}")
        offset = at.utcoffset()
        if offset is None:
            raise ValueError(_NAIVE)
        ordinal = at.toordinal()
        us = (
            (ordinal - _EPOCH_ORDINAL) * _US_PER_DAY
            + ((at.hour * 60 + at.minute) * 60 + at.second) * _US_PER_SECOND
            + at.microsecond
            - _td_us(offset)
        )
        if at.tzinfo is not self.tz:
            ordinal = at.astimezone(self.tz).toordinal()
        return us, ordinal

    def _datetime(self, us: int) -> dt.datetime:
        """The instant ``us`` as an aware datetime in the calendar's zone."""
        if 0 <= us < _FLOAT_SAFE_US:
            # Exact: below 2**32 s a double is within 0.48 us of us / 1e6 and fromtimestamp
            # rounds to the nearest microsecond. Faster than replace(microsecond=...).
            return dt.datetime.fromtimestamp(us / _US_PER_SECOND, self.tz)
        seconds, micro = divmod(us, _US_PER_SECOND)
        return dt.datetime.fromtimestamp(seconds, self.tz).replace(microsecond=micro)

    def _offset_at(self, us: int) -> int:
        instant = _EPOCH + dt.timedelta(microseconds=us)
        return _td_us(instant.astimezone(self.tz).utcoffset())  # type: ignore[arg-type]

    def _boundary(self, n: int, t: dt.time) -> int:
        """The earliest instant at which the wall clock on local day ``n`` reads ``t`` or later."""
        wall = (n - _EPOCH_ORDINAL) * _US_PER_DAY + _time_us(t)
        local = dt.datetime.combine(dt.date.fromordinal(n), t, tzinfo=self.tz)
        before = _td_us(local.utcoffset())  # type: ignore[arg-type]  # fold=0
        after = _td_us(local.replace(fold=1).utcoffset())  # type: ignore[arg-type]
        if before >= after:  # an ordinary time, or a repeated one: its first occurrence
            return wall - before
        # Skipped by a forward jump: the answer is the jump itself. Before it the wall clock reads
        # instant + before (< t), from it on instant + after (> t); bisect between the two.
        lo, hi = wall - after, wall - before
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if mid + self._offset_at(mid) >= wall:
                hi = mid
            else:
                lo = mid
        return hi

    # ------------------------------------------------------------------ days

    def _day(self, n: int) -> tuple[int, tuple[tuple[int, int], ...]]:
        """(end of local day ``n`` as an instant, its openings as (start, end) instants)."""
        cached = self._days.get(n)
        if cached is not None:
            return cached
        if n > _MAX_ORDINAL:
            raise ValueError("beyond the last date that datetime can represent")
        d = dt.date.fromordinal(n)
        opens: list[tuple[int, int]] = []
        for start, end in self.hours_on(d):
            s = self._boundary(n, start)
            e = self._boundary(n, end)
            if e > s:
                if opens and opens[-1][1] == s:  # touching after a skipped hour: one opening
                    opens[-1] = (opens[-1][0], e)
                else:
                    opens.append((s, e))
        day_end = self._boundary(n + 1, _MIDNIGHT) if n < _MAX_ORDINAL else 1 << 62
        entry = (day_end, tuple(opens))
        if len(self._days) >= _DAY_CACHE_LIMIT:
            self._days.clear()
        self._days[n] = entry
        return entry

    # ------------------------------------------------------------------ cumulative open time

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            table = self._build_year(year)
            self._years[year] = table
        self._last_year = table
        return table

    def _year_of(self, n: int) -> _Year:
        table = self._last_year
        if table is not None and table.first <= n < table.end:
            return table
        return self._year(dt.date.fromordinal(n).year)

    def _nominal(self, n: int) -> int:
        """Open time of days 1 .. n-1 (proleptic ordinals) if every day kept its weekly hours."""
        weeks, weekday = divmod(n - 1, 7)  # ordinal 1 is a Monday
        return weeks * self._week_us + self._prefix[weekday]

    def _cum(self, table: _Year, n: int) -> int:
        """Open time before day ``n`` (``table.first <= n <= table.end``) in ``table``'s frame."""
        return self._nominal(n) + table.dsum[bisect_left(table.days, n)]

    def _build_year(self, year: int) -> _Year:
        if not 1 <= year <= _MAX_YEAR:
            raise ValueError(f"year {year} is outside the range datetime can represent")
        first = dt.date(year, 1, 1).toordinal()
        end = dt.date(year + 1, 1, 1).toordinal() if year < _MAX_YEAR else _MAX_ORDINAL + 1
        candidates = set(self._marked_by_year.get(year, ()))
        # Days around a change of UTC offset may have more or less open time than usual.
        tz = self.tz
        previous = None
        for n in range(max(first - 1, 1), min(end + 1, _MAX_ORDINAL + 1)):
            offset = dt.datetime.combine(dt.date.fromordinal(n), _MIDNIGHT, tzinfo=tz).utcoffset()
            if previous is not None and offset != previous:
                candidates.update((n - 2, n - 1, n))
            previous = offset
        days: list[int] = []
        deltas: list[int] = []
        for n in sorted(candidates):
            if not first <= n < end:
                continue
            actual = sum(e - s for s, e in self._day(n)[1])
            delta = actual - self._weekday_us[(n - 1) % 7]
            if delta:
                days.append(n)
                deltas.append(delta)
        dsum = [0]
        for delta in deltas:
            dsum.append(dsum[-1] + delta)
        before = [self._nominal(n) + dsum[j] for j, n in enumerate(days)]
        after = [self._nominal(n + 1) + dsum[j + 1] for j, n in enumerate(days)]
        return _Year(
            year,
            first,
            end,
            days,
            dsum,
            before,
            after,
            self._nominal(first),
            self._nominal(end) + dsum[-1],
        )

    def _open_between(self, a: int, b: int) -> int:
        """Open time of the local days ``a`` .. ``b - 1`` (0 when ``b <= a``)."""
        if b <= a:
            return 0
        table = self._year_of(a)
        if b <= table.end:
            return self._cum(table, b) - self._cum(table, a)
        total = table.c_end - self._cum(table, a)
        year = table.year + 1
        while True:
            table = self._year(year)
            if b <= table.end:
                return total + self._cum(table, b) - table.c_first
            total += table.total
            year += 1

    def _find_day(self, n: int, amount: int) -> tuple[int, int]:
        """The first day ``m >= n`` by whose end days ``n .. m`` hold ``amount`` (> 0) of open
        time, and how much of ``amount`` falls on day ``m`` (``0 < part <= open time of m``).

        Whole years are skipped by their totals; within the year, a binary search over the
        irregular days finds the run of regular days (or the irregular day) where the target
        lies, and in a run of regular days the day follows from dividing by the week's open time.
        """
        table = self._last_year
        if table is None or not table.first <= n < table.end:
            table = self._year(dt.date.fromordinal(n).year)
        week = self._week_us
        prefix = self._prefix
        weeks, weekday = divmod(n - 1, 7)
        c_n = weeks * week + prefix[weekday] + table.dsum[bisect_left(table.days, n)]
        rest = table.c_end - c_n
        if amount > rest:
            amount -= rest
            idle = 0
            year = table.year + 1
            while True:
                table = self._year(year)
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
