"""Booking callbacks into slots of phone hours, with capacity, requested times and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Status
from cases.services import case_update
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.errors import (
    CallbackError,
    CaseNotActive,
    InvalidTime,
    NoCapacity,
    SlotUnavailable,
)
from scheduling.models import Callback, CallbackDateCapacity, CallbackWeekdayCapacity
from tests.factories import CallerCaseFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


THURSDAY_AFTERNOON = local(2026, 11, 26, 13, 0)
MONDAY_0830 = local(2026, 11, 30, 8, 30)


def book(case, **kwargs):
    kwargs.setdefault("now", THURSDAY_AFTERNOON)
    return callback_schedule(case=case, number="0546 123456", actor=None, **kwargs)


def test_out_of_hours_call_on_thursday_afternoon_is_called_back_monday_0830():
    callback = book(CallerCaseFactory())
    assert callback.slot_start == MONDAY_0830
    assert callback.slot_minutes == 15
    assert callback.number == "+31546123456"
    assert callback.state == "scheduled"


def test_a_full_slot_moves_the_booking_to_the_next_slot():
    case = CallerCaseFactory()
    first, second, third = book(case), book(case), book(case)
    assert first.slot_start == second.slot_start == MONDAY_0830
    assert third.slot_start == local(2026, 11, 30, 8, 45)


def test_capacity_per_weekday_is_configurable():
    CallbackWeekdayCapacity.objects.filter(weekday=0).update(capacity=1)
    case = CallerCaseFactory()
    assert book(case).slot_start == MONDAY_0830
    assert book(case).slot_start == local(2026, 11, 30, 8, 45)


def test_during_phone_hours_the_next_slot_start_is_booked():
    callback = book(CallerCaseFactory(), now=local(2026, 11, 30, 9, 5))
    assert callback.slot_start == local(2026, 11, 30, 9, 15)


def test_a_requested_time_inside_phone_hours_is_honoured():
    callback = book(CallerCaseFactory(), requested_at=local(2026, 11, 30, 10, 20))
    assert callback.slot_start == local(2026, 11, 30, 10, 15)
    assert callback.requested_at == local(2026, 11, 30, 10, 20)
    assert callback.requested_by_caller


def test_a_requested_time_outside_phone_hours_is_refused_with_the_next_free_times():
    with pytest.raises(SlotUnavailable) as refused:
        book(CallerCaseFactory(), requested_at=local(2026, 11, 27, 10, 0))  # a Friday
    assert "outside phone hours" in refused.value.message
    assert refused.value.choices == [
        local(2026, 11, 30, 8, 30),
        local(2026, 11, 30, 8, 45),
        local(2026, 11, 30, 9, 0),
    ]
    assert not Callback.objects.exists()


def test_a_requested_time_in_a_full_slot_is_refused_with_later_free_times():
    case = CallerCaseFactory()
    book(case, requested_at=local(2026, 11, 30, 10, 20))
    book(case, requested_at=local(2026, 11, 30, 10, 25))
    with pytest.raises(SlotUnavailable) as refused:
        book(case, requested_at=local(2026, 11, 30, 10, 20))
    assert "full" in refused.value.message
    assert refused.value.choices[0] == local(2026, 11, 30, 10, 30)
    assert Callback.objects.count() == 2


def test_a_requested_time_that_has_passed_is_refused():
    with pytest.raises(SlotUnavailable) as refused:
        book(CallerCaseFactory(), requested_at=local(2026, 11, 26, 9, 0))
    assert refused.value.choices[0] == MONDAY_0830


def test_a_requested_time_too_far_ahead_is_refused():
    with pytest.raises(InvalidTime):
        book(CallerCaseFactory(), requested_at=local(2028, 1, 3, 9, 0))


def test_a_day_with_capacity_zero_is_skipped():
    CallbackDateCapacity.objects.create(date=dt.date(2026, 11, 30), capacity=0, note="Training")
    assert book(CallerCaseFactory()).slot_start == local(2026, 12, 1, 8, 30)


def test_a_requested_time_on_a_day_with_capacity_zero_is_refused():
    CallbackDateCapacity.objects.create(date=dt.date(2026, 11, 30), capacity=0)
    with pytest.raises(SlotUnavailable) as refused:
        book(CallerCaseFactory(), requested_at=local(2026, 11, 30, 9, 0))
    assert refused.value.choices[0] == local(2026, 12, 1, 8, 30)


def test_capacity_zero_on_every_day_gives_a_clear_error():
    CallbackWeekdayCapacity.objects.update(capacity=0)
    for weekday in range(4, 7):
        CallbackWeekdayCapacity.objects.create(weekday=weekday, capacity=0)
    with pytest.raises(NoCapacity, match="capacity is 0"):
        book(CallerCaseFactory())


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_a_closed_or_resolved_case_gets_no_callback(status):
    case = CallerCaseFactory()
    case_update(case=case, actor=None, status=status)
    with pytest.raises(CaseNotActive, match=case.reference):
        book(case)


def test_naive_datetimes_are_refused():
    case = CallerCaseFactory()
    with pytest.raises(InvalidTime, match="time zone"):
        book(case, now=dt.datetime(2026, 11, 26, 13, 0))
    with pytest.raises(InvalidTime, match="time zone"):
        book(case, requested_at=dt.datetime(2026, 11, 30, 9, 0))


def test_a_number_that_is_not_a_phone_number_is_refused():
    with pytest.raises(CallbackError, match="not a phone number"):
        callback_schedule(case=CallerCaseFactory(), number="12", actor=None, now=THURSDAY_AFTERNOON)


def test_a_public_holiday_is_skipped():
    # Christmas is on a Friday in 2026; the phone days around it are normal.
    callback = book(CallerCaseFactory(), now=local(2026, 12, 24, 13, 0))
    assert callback.slot_start == local(2026, 12, 28, 8, 30)


def test_ascension_thursday_is_skipped():
    # Ascension Day 2026 is Thursday 14 May.
    callback = book(CallerCaseFactory(), now=local(2026, 5, 13, 13, 0))
    assert callback.slot_start == local(2026, 5, 18, 8, 30)


def test_booking_across_the_autumn_clock_change_lands_at_0830_dutch_time():
    callback = book(CallerCaseFactory(), now=local(2026, 10, 22, 13, 0))
    assert callback.slot_start == local(2026, 10, 26, 8, 30)
    assert callback.slot_start.astimezone(dt.UTC).hour == 7


def over_capacity(case, count, at=MONDAY_0830, state="scheduled"):
    """Callbacks put straight into one slot, past its capacity (an imported backlog)."""
    return [
        Callback.objects.create(
            case=case,
            number="+31546123456",
            slot_start=at,
            slot_minutes=15,
            state=state,
            created_at=THURSDAY_AFTERNOON,
        )
        for _ in range(count)
    ]


def test_a_slot_booked_over_its_capacity_is_full_and_cancelled_callbacks_free_their_place():
    case = CallerCaseFactory()
    over_capacity(case, 5)
    over_capacity(case, 3, at=local(2026, 11, 30, 8, 45), state="cancelled")
    assert book(case).slot_start == local(2026, 11, 30, 8, 45)
