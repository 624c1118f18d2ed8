"""The free callback slots of the coming phone days, as offered to a caller who picks one.

Three queries whatever the number of days or booked callbacks: the weekday
capacities, the date capacities, and the callbacks per slot over the whole span
(one grouped count on the ``state, slot_start`` index). The days themselves come
from the phone calendar, which is built once per process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from calendars.configured import phone_hours
from scheduling.callbacks.booking import SEARCH_DAYS, slot_bookings, slot_capacities, slot_length
from scheduling.callbacks.slots import capacity_for, free_slots, slot_starts


@dataclass(frozen=True)
class PhoneDay:
    """One phone day that takes callbacks, with its slots that still have room (local time)."""

    day: dt.date
    free: list[dt.datetime]
    slot_minutes: int


def free_slots_by_day(
    *, not_before: dt.datetime, phone_days: int, exclude_pk: int | None = None
) -> list[PhoneDay]:
    """The next ``phone_days`` days with phone hours and callback capacity, and their free slots.

    A day whose slots are all taken is still listed, with no free slots, so the
    caller sees it is full rather than missing. Days with a capacity of 0 take no
    callbacks and are left out. Slots before ``not_before`` are never offered.
    ``exclude_pk`` leaves one callback out of the counts (the one being moved).
    """
    calendar = phone_hours()
    length = slot_length()
    first = timezone.localtime(calendar.next_open(not_before), calendar.tz).date()
    last = first + dt.timedelta(days=SEARCH_DAYS - 1)
    weekday_cap, date_cap = slot_capacities(first, last)
    chosen: list[tuple[dt.date, list[dt.datetime], int]] = []
    day = first
    while day <= last and len(chosen) < phone_days:
        openings = calendar.openings(day, day)
        capacity = capacity_for(day, weekday_cap, date_cap)
        if openings and capacity > 0:
            slots = [s.astimezone(dt.UTC) for s in slot_starts(openings, length)]
            if slots and slots[-1] >= not_before:
                chosen.append((day, slots, capacity))
        day += dt.timedelta(days=1)
    if not chosen:
        return []
    booked = slot_bookings(chosen[0][1][0], chosen[-1][1][-1] + length, exclude_pk)
    minutes = int(length.total_seconds() // 60)
    return [
        PhoneDay(
            day=day,
            free=[
                s.astimezone(calendar.tz)
                for s in free_slots(slots, booked, capacity, not_before=not_before)
            ],
            slot_minutes=minutes,
        )
        for day, slots, capacity in chosen
    ]
