"""Booking callbacks: free slots, the first free one, a requested time, a logged call.

Every entry point (the log-a-call screen, the queue page, the morning task, the
management command) calls these. Each is keyword-only and transactional.

Capacity is never overbooked: booking locks the phone day's ``CallbackDay`` row
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction already
runs alone, as settings open them IMMEDIATE) and only then counts the
callbacks in the slot, so two people booking at once queue instead of both
seeing the last free place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.business_calendar import BusinessCalendar
from calendars.configured import phone_hours
from cases.models import CallDirection, CallOutcome, Case, PhoneCall, Status
from cases.phones import normalise
from scheduling.callbacks.errors import (
    CallbackError,
    CaseNotActive,
    InvalidTime,
    NoCapacity,
    SlotUnavailable,
    aware_or_now,
)
from scheduling.callbacks.slots import (
    CHOICES_OFFERED,
    callback_needed,
    capacity_for,
    free_slots,
    slot_containing,
    slot_starts,
)
from scheduling.models.callbacks import (
    Callback,
    CallbackDateCapacity,
    CallbackDay,
    CallbackState,
    CallbackWeekdayCapacity,
)

#: How far ahead a callback is looked for; when no day in this span takes callbacks, booking
#: fails with a message instead of searching forever.
SEARCH_DAYS = 8 * 7
#: A caller may ask for a time at most this far ahead.
BOOKING_HORIZON = dt.timedelta(days=365)

# --- Slots -------------------------------------------------------------------------------------


def slot_length() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CALLBACK_SLOT_MINUTES)


def slot_capacities(first: dt.date, last: dt.date) -> tuple[dict[int, int], dict[dt.date, int]]:
    """Callbacks per slot by weekday, and the dates between ``first`` and ``last`` set apart."""
    weekday = dict(CallbackWeekdayCapacity.objects.values_list("weekday", "capacity"))
    dates = dict(
        CallbackDateCapacity.objects.filter(date__range=(first, last)).values_list(
            "date", "capacity"
        )
    )
    return weekday, dates


def slot_bookings(
    first: dt.datetime, last: dt.datetime, exclude_pk: int | None
) -> dict[dt.datetime, int]:
    """Callbacks that hold a place, per slot start (in UTC), between two instants."""
    qs = Callback.objects.filter(
        state__in=CallbackState.open(), slot_start__gte=first, slot_start__lt=last
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    rows = qs.order_by().values("slot_start").annotate(n=Count("pk"))
    return {row["slot_start"].astimezone(dt.UTC): row["n"] for row in rows}


def _lock_day(day: dt.date) -> None:
    # The INSERT of a new day row blocks a concurrent INSERT of the same day until
    # the first transaction ends; the loser then finds and locks the row.
    CallbackDay.objects.select_for_update().get_or_create(day=day)


def _free_slots(
    *,
    calendar: BusinessCalendar,
    not_before: dt.datetime,
    lock: bool,
    exclude_pk: int | None = None,
) -> Iterator[dt.datetime]:
    """Free slots at or after ``not_before``, earliest first, day by day.

    The bookings of the whole span are counted once, up front. With ``lock`` a day
    that count shows room in is then locked and counted again before its slots
    are given (days in ascending order, so two bookers never wait on each other
    crosswise); a day already full is passed over without a lock or a query of its
    own (a booker walking past full days cost two queries a day).
    Raises ``NoCapacity`` when no day within ``SEARCH_DAYS`` takes callbacks.
    """
    length = slot_length()
    first = timezone.localtime(calendar.next_open(not_before), calendar.tz).date()
    last = first + dt.timedelta(days=SEARCH_DAYS - 1)
    weekday_cap, date_cap = slot_capacities(first, last)
    span_booked = slot_bookings(
        dt.datetime.combine(first, dt.time(0), tzinfo=calendar.tz),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=calendar.tz),
        exclude_pk,
    )
    any_capacity = False
    day = first
    while day <= last:
        openings = calendar.openings(day, day)
        capacity = capacity_for(day, weekday_cap, date_cap)
        if openings and capacity > 0:
            any_capacity = True
            slots = [s.astimezone(dt.UTC) for s in slot_starts(openings, length)]
            if slots and slots[-1] >= not_before:
                booked = span_booked
                room = next(free_slots(slots, booked, capacity, not_before=not_before), None)
                if lock and room is not None:
                    _lock_day(day)
                    booked = slot_bookings(slots[0], slots[-1] + length, exclude_pk)
                for start in free_slots(slots, booked, capacity, not_before=not_before):
                    yield start.astimezone(calendar.tz)
        day += dt.timedelta(days=1)
    if not any_capacity:
        raise NoCapacity(
            _(
                "No phone day in the next %(weeks)d weeks takes callbacks (the capacity is 0). "
                "A manager can set the callback capacity."
            )
            % {"weeks": SEARCH_DAYS // 7}
        )
    raise NoCapacity(
        _("Every callback slot in the next %(weeks)d weeks is full.") % {"weeks": SEARCH_DAYS // 7}
    )


def callback_choices(
    *, not_before: dt.datetime, count: int = CHOICES_OFFERED, exclude_pk: int | None = None
) -> list[dt.datetime]:
    """The next ``count`` free slots at or after ``not_before`` (for offering to a caller)."""
    not_before = aware_or_now(not_before, _("time"))
    found: list[dt.datetime] = []
    try:
        for start in _free_slots(
            calendar=phone_hours(), not_before=not_before, lock=False, exclude_pk=exclude_pk
        ):
            found.append(start)
            if len(found) == count:
                break
    except NoCapacity:
        pass
    return found


def first_free_slot(
    *, calendar: BusinessCalendar, not_before: dt.datetime, exclude_pk: int | None = None
) -> dt.datetime:
    return next(
        _free_slots(calendar=calendar, not_before=not_before, lock=True, exclude_pk=exclude_pk)
    )


def _requested_slot(
    *, calendar: BusinessCalendar, requested_at: dt.datetime, now: dt.datetime
) -> dt.datetime:
    """The slot holding ``requested_at``, locked and checked; else ``SlotUnavailable``."""
    not_before = max(requested_at, now)
    if requested_at < now:
        raise SlotUnavailable(
            _("The time asked for has already passed. Choose one of the next free times."),
            callback_choices(not_before=calendar.next_open(not_before)),
        )
    day = timezone.localtime(requested_at, calendar.tz).date()
    length = slot_length()
    slot = slot_containing(requested_at, calendar.openings(day, day), length)
    if slot is None:
        raise SlotUnavailable(
            _("The time asked for is outside phone hours. Choose one of the next free times."),
            callback_choices(not_before=not_before),
        )
    weekday_cap, date_cap = slot_capacities(day, day)
    capacity = capacity_for(day, weekday_cap, date_cap)
    _lock_day(day)
    booked = slot_bookings(slot, slot + length, None).get(slot.astimezone(dt.UTC), 0)
    if booked >= capacity:
        raise SlotUnavailable(
            _("No callback can be added at the time asked for: that slot is full.")
            if capacity > 0
            else _("No callbacks are made on that day."),
            callback_choices(not_before=not_before),
        )
    return slot


# --- Booking -------------------------------------------------------------------------------


@transaction.atomic
def callback_schedule(
    *,
    case: Case,
    number: str,
    actor: AbstractBaseUser | None,
    requested_at: dt.datetime | None = None,
    requested_by_caller: bool = False,
    now: dt.datetime | None = None,
) -> Callback:
    """Book a callback for ``case`` to ``number``.

    Without ``requested_at``: the earliest slot with room at or after the next
    opening of phone hours. With it: the slot holding that time, if it lies
    inside phone hours and has room; else ``SlotUnavailable`` carrying the
    next free slots to offer. Closed and resolved cases get no callback.
    """
    now = aware_or_now(now, _("current time"))
    if requested_at is not None:
        requested_at = aware_or_now(requested_at, _("time asked for"))
        if requested_at - now > BOOKING_HORIZON:
            raise InvalidTime(
                _("A callback can be booked at most %(days)d days ahead.")
                % {"days": BOOKING_HORIZON.days}
            )
    if case.status not in Status.active():
        raise CaseNotActive(
            _("%(reference)s is %(status)s; a callback needs an open case.")
            % {"reference": case.reference, "status": case.get_status_display().lower()}
        )
    try:
        number = normalise(number)
    except ValidationError as exc:
        raise CallbackError(" ".join(exc.messages)) from exc

    calendar = phone_hours()
    if requested_at is not None:
        slot = _requested_slot(calendar=calendar, requested_at=requested_at, now=now)
    else:
        slot = first_free_slot(calendar=calendar, not_before=calendar.next_open(now))
    callback = Callback(
        case=case,
        number=number,
        slot_start=slot,
        slot_minutes=settings.CALLBACK_SLOT_MINUTES,
        promised_slot_start=slot,
        promised_slot_end=slot + dt.timedelta(minutes=settings.CALLBACK_SLOT_MINUTES),
        requested_by_caller=requested_by_caller or requested_at is not None,
        requested_at=requested_at,
        created_at=now,
        created_by=actor,
    )
    callback.full_clean()
    callback.save()
    return callback


@transaction.atomic
def callback_for_call(
    *,
    call: PhoneCall,
    actor: AbstractBaseUser | None,
    requested_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Callback | None:
    """Book the callback a logged call calls for (see ``callbacks.callback_needed``), if any.

    A caller who asked (outcome "callback requested", or a time given) gets the
    time asked for or the first free one; an incoming call outside phone hours
    gets the first free one. Without a number there is no one to call back.
    """
    caller_asked = call.outcome == CallOutcome.CALLBACK or requested_at is not None
    inbound = call.direction == CallDirection.INBOUND
    if not callback_needed(
        inbound=inbound, inside_phone_hours=call.inside_phone_hours, caller_asked=caller_asked
    ):
        return None
    if not call.number:
        if caller_asked:
            raise CallbackError(_("A callback needs the number to call back."))
        return None
    return callback_schedule(
        case=call.case,
        number=call.number,
        actor=actor,
        requested_at=requested_at,
        requested_by_caller=caller_asked,
        now=now,
    )
