"""Opening hours as plain data: validating them, and the microsecond units all arithmetic uses.

Pure Python (no Django), shared by :mod:`calendars.business_calendar` and
:mod:`calendars.open_time`. Instants are integer microseconds since the Unix epoch (UTC); local
days are proleptic Gregorian ordinals (``date.toordinal()``, 1 = Monday 1 January of year 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "EPOCH",
    "EPOCH_ORDINAL",
    "MAX_ORDINAL",
    "MAX_YEAR",
    "MIDNIGHT",
    "US_PER_DAY",
    "US_PER_SECOND",
    "Hours",
    "Interval",
    "normalise_hours",
    "plain_date",
    "time_us",
    "timedelta_us",
    "zone",
]

#: One opening: wall-clock ``(start, end)`` with ``start < end``.
Interval = tuple[dt.time, dt.time]
#: The openings of one day, sorted, disjoint and not touching.
Hours = tuple[Interval, ...]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EPOCH_ORDINAL = EPOCH.toordinal()
MIDNIGHT = dt.time(0)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
MAX_ORDINAL = dt.date.max.toordinal()
MAX_YEAR = dt.date.max.year


def time_us(t: dt.time) -> int:
    """A wall-clock time as microseconds since midnight."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US_PER_SECOND + t.microsecond


def timedelta_us(td: dt.timedelta) -> int:
    """A duration as whole microseconds (exact: a timedelta has no finer precision)."""
    return (td.days * 86_400 + td.seconds) * US_PER_SECOND + td.microseconds


def normalise_hours(intervals: Any, where: str) -> Hours:
    """One day's intervals, validated, sorted, with touching intervals merged.

    Each interval is a ``(start, end)`` pair of naive ``datetime.time`` with ``start < end``
    (no openings across midnight); intervals must not overlap, and intervals that touch
    (``08:00-12:00`` and ``12:00-13:00``) become one. Anything else raises ``ValueError``
    naming ``where``.
    """
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


def plain_date(value: Any, where: str) -> dt.date:
    """``value`` if it is a ``datetime.date`` (a ``datetime`` is not), else ``ValueError``."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{where}: {value!r} is not a datetime.date")
    return value


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    """The zone named by an IANA name, or ``tz`` itself; ``ValueError`` for anything else."""
    if isinstance(tz, ZoneInfo):
        return tz
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {tz!r}") from exc
    raise ValueError(f"tz must be an IANA zone name or a zoneinfo.ZoneInfo, not {tz!r}")
