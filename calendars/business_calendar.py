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
    The tables live in :mod:`calendars.open_time`; validation and the microsecond units in
    :mod:`calendars.hours`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from zoneinfo import ZoneInfo

from calendars.hours import (
    EPOCH,
    EPOCH_ORDINAL,
    MAX_ORDINAL,
    MIDNIGHT,
    US_PER_DAY,
    US_PER_SECOND,
    Hours,
    Interval,
    normalise_hours,
    plain_date,
    time_us,
    timedelta_us,
    zone,
)
from calendars.open_time import HORIZON_YEARS, OpenTime

__all__ = ["HORIZON_YEARS", "BusinessCalendar", "Hours", "Interval"]

_FLOAT_SAFE_US = 2**32 * US_PER_SECOND  # 2106-02-07: see _datetime
#: Days whose openings are kept per calendar; the cache is emptied when it grows past this.
_DAY_CACHE_LIMIT = 16_384

_NAIVE = "naive datetime: pass an aware datetime"


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
        "_days",
        "_find_day",
        "_open_between",
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
        self.tz = zone(tz)
        if not isinstance(weekly_hours, Mapping):
            raise ValueError(f"weekly_hours must map weekday to intervals, not {weekly_hours!r}")
        weekly: list[Hours] = [()] * 7
        for day, intervals in weekly_hours.items():
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                raise ValueError(f"weekly_hours: weekday {day!r} is not 0 (Monday) ... 6 (Sunday)")
            weekly[day] = normalise_hours(intervals, f"weekly_hours[{day}]")
        self.weekly_hours = tuple(weekly)
        self.days_off = frozenset(plain_date(d, "days_off") for d in days_off)
        special: dict[dt.date, Hours] = {}
        for day, intervals in (special_hours or {}).items():
            d = plain_date(day, "special_hours")
            special[d] = normalise_hours(intervals, f"special_hours[{d.isoformat()}]")
        self._special = special
        self.special_hours = MappingProxyType(special)

        self._days: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {}
        open_time = OpenTime(
            self.tz,
            tuple(sum(time_us(e) - time_us(s) for s, e in h) for h in weekly),
            self.days_off | special.keys(),
            self._day_open_us,
        )
        # Bound once: these run on every add, next_open and elapsed.
        self._find_day = open_time.find_day
        self._open_between = open_time.between

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
        return bool(self._day(plain_date(d, "is_open_day").toordinal())[1])

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
        amount = timedelta_us(duration)
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
        first = plain_date(first_day, "openings").toordinal()
        last = plain_date(last_day, "openings").toordinal()
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
            (ordinal - EPOCH_ORDINAL) * US_PER_DAY
            + ((at.hour * 60 + at.minute) * 60 + at.second) * US_PER_SECOND
            + at.microsecond
            - timedelta_us(offset)
        )
        if at.tzinfo is not self.tz:
            ordinal = at.astimezone(self.tz).toordinal()
        return us, ordinal

    def _datetime(self, us: int) -> dt.datetime:
        """The instant ``us`` as an aware datetime in the calendar's zone."""
        if 0 <= us < _FLOAT_SAFE_US:
            # Exact: below 2**32 s a double is within 0.48 us of us / 1e6 and fromtimestamp
            # rounds to the nearest microsecond. Faster than replace(microsecond=...).
            return dt.datetime.fromtimestamp(us / US_PER_SECOND, self.tz)
        seconds, micro = divmod(us, US_PER_SECOND)
        return dt.datetime.fromtimestamp(seconds, self.tz).replace(microsecond=micro)

    def _offset_at(self, us: int) -> int:
        instant = EPOCH + dt.timedelta(microseconds=us)
        return timedelta_us(instant.astimezone(self.tz).utcoffset())  # type: ignore[arg-type]

    def _boundary(self, n: int, t: dt.time) -> int:
        """The earliest instant at which the wall clock on local day ``n`` reads ``t`` or later."""
        wall = (n - EPOCH_ORDINAL) * US_PER_DAY + time_us(t)
        local = dt.datetime.combine(dt.date.fromordinal(n), t, tzinfo=self.tz)
        before = timedelta_us(local.utcoffset())  # type: ignore[arg-type]  # fold=0
        after = timedelta_us(local.replace(fold=1).utcoffset())  # type: ignore[arg-type]
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
        if n > MAX_ORDINAL:
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
        day_end = self._boundary(n + 1, MIDNIGHT) if n < MAX_ORDINAL else 1 << 62
        entry = (day_end, tuple(opens))
        if len(self._days) >= _DAY_CACHE_LIMIT:
            self._days.clear()
        self._days[n] = entry
        return entry

    def _day_open_us(self, n: int) -> int:
        """The open time of local day ``n`` (its openings as they really fall, DST included)."""
        return sum(e - s for s, e in self._day(n)[1])
