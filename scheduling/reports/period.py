"""Report periods: whole local days in the helpdesk's zone, first and last day included.

Pure Python (no Django): a period is two dates; turning them into instants uses
the zone, so a week that contains a DST switch is still exactly Monday 00:00 to
Monday 00:00 in Amsterdam.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("a period cannot end before it starts")

    def bounds(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The period as a half-open interval of aware instants [start, end)."""
        start = dt.datetime.combine(self.first_day, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)

    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(count)]

    def __len__(self) -> int:
        return (self.last_day - self.first_day).days + 1


def week_of(day: dt.date) -> Period:
    """The ISO week (Monday to Sunday) that contains ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return Period(monday, monday + dt.timedelta(days=6))


def month_of(day: dt.date) -> Period:
    first = day.replace(day=1)
    next_first = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(first, next_first - dt.timedelta(days=1))


def quarter_of(day: dt.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    first = dt.date(day.year, first_month, 1)
    last = month_of(dt.date(day.year, first_month + 2, 1)).last_day
    return Period(first, last)


def last_complete(kind: PeriodKind, today: dt.date) -> Period:
    """The last week, month or quarter that ended before ``today`` (the default report)."""
    if kind == PeriodKind.WEEK:
        return week_of(today - dt.timedelta(days=7))
    if kind == PeriodKind.MONTH:
        return month_of(today.replace(day=1) - dt.timedelta(days=1))
    if kind == PeriodKind.QUARTER:
        return quarter_of(quarter_of(today).first_day - dt.timedelta(days=1))
    raise ValueError(f"no default period for {kind}")


def containing(kind: PeriodKind, day: dt.date) -> Period:
    """The week, month or quarter that contains ``day``."""
    return {PeriodKind.WEEK: week_of, PeriodKind.MONTH: month_of, PeriodKind.QUARTER: quarter_of}[
        kind
    ](day)


def shifted(kind: PeriodKind, period: Period, steps: int) -> Period:
    """The period ``steps`` weeks/months/quarters before (negative) or after ``period``."""
    if kind == PeriodKind.WEEK:
        delta = dt.timedelta(days=7 * steps)
        return Period(period.first_day + delta, period.last_day + delta)
    if kind == PeriodKind.CUSTOM:
        delta = dt.timedelta(days=len(period) * steps)
        return Period(period.first_day + delta, period.last_day + delta)
    months = 1 if kind == PeriodKind.MONTH else 3
    year, month = divmod(period.first_day.month - 1 + months * steps, 12)
    return containing(kind, dt.date(period.first_day.year + year, month + 1, 1))
