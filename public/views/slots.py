"""The free slots as the callback pages show them: by day, each with its words.

The words are made here, once per day and per slot, rather than by template filters
in the loop: ten phone days are 160 radio buttons, and formatting a date per button
in the template was most of the page's time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from scheduling.callbacks.offer import free_slots_by_day


@dataclass(frozen=True)
class Choice:
    id: str
    value: str
    label: str


@dataclass(frozen=True)
class Day:
    day: dt.date
    words: str
    choices: list[Choice]


def slot_days(*, now: dt.datetime, phone_days: int, exclude_pk: int | None = None) -> list[Day]:
    """The coming phone days and their free slots, as radio choices (value: the UTC instant).

    Each label is the slot's start and end in Dutch time ("08:30 tot 08:45"); the end
    is computed on the instant, so it is right on the days the clocks change.
    """
    days = []
    between = _("%(start)s to %(end)s")
    for phone_day in free_slots_by_day(
        not_before=now, phone_days=phone_days, exclude_pk=exclude_pk
    ):
        length = dt.timedelta(minutes=phone_day.slot_minutes)
        choices = []
        for start in phone_day.free:
            utc = start.astimezone(dt.UTC)
            end = (utc + length).astimezone(start.tzinfo)
            label = between % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            choices.append(Choice(id=f"slot-{utc:%Y%m%d%H%M}", value=utc.isoformat(), label=label))
        words = formats.date_format(phone_day.day, "l j F")
        days.append(Day(day=phone_day.day, words=words, choices=choices))
    return days
