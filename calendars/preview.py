"""The month preview of the configured calendars: each day's hours, and why they are what they are.

The hours shown come from the built calendars themselves, the explanations (holiday, override,
changed hours, closures) from :func:`calendars.configured.day_plan`, both from one configuration
snapshot, so the preview shows exactly what the calendars answer.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from calendars.configured import DayPlan, Hours, current_calendars, day_plan
from calendars.models import dutch_holidays

__all__ = ["PreviewDay", "PreviewEntry", "month_preview"]


@dataclass(frozen=True)
class PreviewEntry:
    calendar: str
    hours: Hours
    plan: DayPlan


@dataclass(frozen=True)
class PreviewDay:
    date: dt.date
    in_month: bool
    holiday_name: str | None
    public_holiday: bool
    entries: tuple[PreviewEntry, ...]
    #: Each closure reason once, with the shown calendars it applies to (empty: all of them).
    closures: tuple[tuple[str, tuple[str, ...]], ...] = ()


def month_preview(
    year: int, month: int, calendars: Sequence[str], *, language: str = "en_US"
) -> list[list[PreviewDay]]:
    """The weeks (Monday first) of a month with each calendar's hours per day.

    The hours come from the built calendars themselves, the explanations (holiday, override,
    changed hours, closures) from :func:`~calendars.configured.day_plan`; holiday names are in
    ``language``. A closure that applies to every shown calendar is listed without calendars.
    """
    built = current_calendars()
    names = dutch_holidays(year, language)
    weeks: list[list[PreviewDay]] = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days: list[PreviewDay] = []
        for day in week:
            holiday = names.get(day) or (
                dutch_holidays(day.year, language).get(day) if day.year != year else None
            )
            entries = tuple(
                PreviewEntry(
                    calendar=cal,
                    hours=tuple(built.calendars[cal].hours_on(day)),
                    plan=day_plan(built.config, cal, day),
                )
                for cal in calendars
            )
            reasons: dict[str, list[str]] = {}
            for entry in entries:
                for reason in entry.plan.closures:
                    reasons.setdefault(reason, []).append(entry.calendar)
            days.append(
                PreviewDay(
                    date=day,
                    in_month=day.month == month,
                    holiday_name=holiday[0] if holiday else None,
                    public_holiday=bool(holiday and holiday[1]),
                    entries=entries,
                    closures=tuple(
                        (reason, () if len(cals) == len(entries) else tuple(cals))
                        for reason, cals in reasons.items()
                    ),
                )
            )
        weeks.append(days)
    return weeks
