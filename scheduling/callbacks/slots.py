"""The rules of callback slots, as plain functions (no ORM, no settings, no clock).

The phone day is cut into slots of a fixed length, counted from each opening of
the phone calendar: with 08:30-12:30 and 15 minutes the slots start at 08:30,
08:45, ... 12:15. A slot holds as many callbacks as staff are on the phone
(its capacity); a callback promises the caller a call within its slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

#: Free slots offered when the time a caller asked for cannot be booked.
CHOICES_OFFERED = 3
#: After this many calls without an answer the helpdesk stops calling and emails instead.
MAX_ATTEMPTS = 3
#: Staff on the phone per slot on a phone day when a manager has configured nothing.
DEFAULT_CAPACITY = 2

Opening = tuple[dt.datetime, dt.datetime]


def _utc(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return at.astimezone(dt.UTC)


def slot_starts(openings: Iterable[Opening], length: dt.timedelta) -> Iterator[dt.datetime]:
    """The starts of the slots in ``openings``, in order.

    Slots are counted from the start of each opening and step by ``length``; a
    slot starts inside the opening (half-open: none starts at its closing time).
    When the opening is not a whole number of slots, the last slot is shorter:
    it ends at closing time. Steps are taken in UTC, so a DST switch cannot
    shift them.
    """
    if length <= dt.timedelta(0):
        raise ValueError("a slot must last longer than zero")
    for start, end in openings:
        tz = start.tzinfo
        at, stop = _utc(start), _utc(end)
        while at < stop:
            yield at.astimezone(tz)
            at += length


def slot_containing(
    at: dt.datetime, openings: Iterable[Opening], length: dt.timedelta
) -> dt.datetime | None:
    """The start of the slot that ``at`` falls in, or None when ``at`` is outside every opening."""
    moment = _utc(at)
    for start, end in openings:
        s, e = _utc(start), _utc(end)
        if s <= moment < e:
            return (s + ((moment - s) // length) * length).astimezone(start.tzinfo)
    return None


def free_slots(
    slots: Iterable[dt.datetime],
    booked: Mapping[dt.datetime, int],
    capacity: int,
    *,
    not_before: dt.datetime | None = None,
) -> Iterator[dt.datetime]:
    """The slots (in the given order) that start at or after ``not_before`` and still have room.

    ``booked`` counts the callbacks already in each slot, keyed by the slot's
    start as an aware datetime (any zone: aware datetimes compare as instants).
    A capacity of zero or less means no callbacks at all that day.
    """
    if capacity <= 0:
        return
    for start in slots:
        if not_before is not None and start < not_before:
            continue
        if booked.get(start, 0) < capacity:
            yield start


def capacity_for(
    day: dt.date, weekday_capacity: Mapping[int, int], date_capacity: Mapping[dt.date, int]
) -> int:
    """Staff on the phone per slot on ``day``: a date's own figure wins over its weekday's.

    A weekday without a configured figure has ``DEFAULT_CAPACITY``.
    """
    if day in date_capacity:
        return date_capacity[day]
    return weekday_capacity.get(day.weekday(), DEFAULT_CAPACITY)


def attempts_exhausted(attempts: int) -> bool:
    """True when the helpdesk has called ``MAX_ATTEMPTS`` times without an answer."""
    return attempts >= MAX_ATTEMPTS


def callback_needed(*, inbound: bool, inside_phone_hours: bool, caller_asked: bool) -> bool:
    """Whether a logged call becomes a callback.

    The helpdesk's promise: a call outside phone hours is called back during
    them, and so is a caller who asks for it. Calls the helpdesk made itself
    (outgoing) never schedule one on their own.
    """
    return caller_asked or (inbound and not inside_phone_hours)
