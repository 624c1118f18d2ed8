"""A deliberately slow, obviously correct business calendar to check ``BusinessCalendar`` by.

It knows nothing clever: it steps through time one UTC minute at a time and asks, for every
minute, "is this minute open?". That question is answered from the wall clock:

* :meth:`ReferenceCalendar.wall_clock_open` converts the minute to local time and checks whether
  the local time falls in one of its local date's intervals. That is the whole rule, except in
  the repeated autumn hour, where a wall-clock time happens twice.
* :meth:`ReferenceCalendar.minute_is_open` states the rule exactly as documented: an opening
  ``(start, end)`` on date ``D`` covers the instants from the first minute at which the wall
  clock reads ``D start`` or later up to (not including) the first minute at which it reads
  ``D end`` or later. Those "first minutes" are found by scanning minute by minute.

Only minute-aligned opening hours and minute-aligned instants are supported, which is all the
property tests feed it; every zone they use changes its offset on a whole minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
HORIZON = dt.timedelta(days=120)  # enough for the property tests

Interval = tuple[dt.time, dt.time]


class ReferenceCalendar:
    def __init__(
        self,
        weekly_hours: Mapping[int, Sequence[Interval]],
        tz: str,
        days_off: Iterable[dt.date] = (),
        *,
        special_hours: Mapping[dt.date, Sequence[Interval]] | None = None,
        horizon: dt.timedelta = HORIZON,
    ) -> None:
        self.zone = ZoneInfo(tz)
        self.horizon = horizon
        self.weekly_hours = {day: list(hours) for day, hours in weekly_hours.items()}
        self.days_off = set(days_off)
        self.special_hours = dict(special_hours or {})
        self.first_minute_reading = cache(self._first_minute_reading)
        self.openings_of = cache(self._openings_of)

    def hours_on(self, day: dt.date) -> list[Interval]:
        if day in self.days_off:
            return []
        if day in self.special_hours:
            return list(self.special_hours[day])
        return list(self.weekly_hours.get(day.weekday(), []))

    def _first_minute_reading(self, day: dt.date, t: dt.time) -> dt.datetime:
        """The first UTC minute at which the local wall clock reads ``day t`` or later."""
        wanted = dt.datetime.combine(day, t)
        minute = (wanted - dt.timedelta(hours=16)).replace(tzinfo=UTC)  # surely earlier
        while minute.astimezone(self.zone).replace(tzinfo=None) < wanted:
            minute += MINUTE
        return minute

    def wall_clock_open(self, at: dt.datetime) -> bool:
        """Open when the local wall-clock time lies in one of its date's intervals."""
        local = at.astimezone(self.zone)
        wall = local.time().replace(tzinfo=None, fold=0)
        return any(start <= wall < end for start, end in self.hours_on(local.date()))

    def _openings_of(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The openings of local date ``day`` as [first minute, end minute) pairs in UTC."""
        return [
            (self.first_minute_reading(day, start), self.first_minute_reading(day, end))
            for start, end in self.hours_on(day)
        ]

    def minute_is_open(self, at: dt.datetime) -> bool:
        at = at.astimezone(UTC)
        local_day = at.astimezone(self.zone).date()
        days = (local_day - dt.timedelta(days=1), local_day, local_day + dt.timedelta(days=1))
        return any(opens <= at < closes for day in days for opens, closes in self.openings_of(day))

    # The operations under test, minute by minute.

    def is_open(self, at: dt.datetime) -> bool:
        return self.minute_is_open(at)

    def next_open(self, at: dt.datetime) -> dt.datetime:
        minute = at.astimezone(UTC)
        limit = minute + self.horizon
        while not self.minute_is_open(minute):
            minute += MINUTE
            if minute > limit:
                raise ValueError("no opening within the reference's horizon")
        return minute

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        if duration == dt.timedelta(0):
            return self.next_open(start)
        minute = start.astimezone(UTC)
        limit = minute + self.horizon
        remaining = duration
        while True:
            if self.minute_is_open(minute):
                remaining -= MINUTE
                if remaining == dt.timedelta(0):
                    return minute + MINUTE
            minute += MINUTE
            if minute > limit:
                raise ValueError("duration does not fit in the reference's horizon")

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        minute, end = start.astimezone(UTC), end.astimezone(UTC)
        total = dt.timedelta(0)
        while minute < end:
            if self.minute_is_open(minute):
                total += MINUTE
            minute += MINUTE
        return total
