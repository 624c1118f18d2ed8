"""The free slots as the callback pages show them: by day, each with its words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduling.callbacks.offer import free_slots_by_day


@dataclass(frozen=True)
class Choice:
    value: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Day:
    day: dt.date
    choices: list[Choice]


def slot_days(*, now: dt.datetime, phone_days: int, exclude_pk: int | None = None) -> list[Day]:
    """The coming phone days and their free slots, as radio choices (value: the UTC instant)."""
    days = []
    for phone_day in free_slots_by_day(
        not_before=now, phone_days=phone_days, exclude_pk=exclude_pk
    ):
        length = dt.timedelta(minutes=phone_day.slot_minutes)
        days.append(
            Day(
                day=phone_day.day,
                choices=[
                    Choice(
                        value=start.astimezone(dt.UTC).isoformat(),
                        start=start,
                        end=(start.astimezone(dt.UTC) + length).astimezone(start.tzinfo),
                    )
                    for start in phone_day.free
                ],
            )
        )
    return days
