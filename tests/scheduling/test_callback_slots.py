"""The pure slot rules: slot starts, the slot holding a time, free places, capacity."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.callbacks.slots import (
    DEFAULT_CAPACITY,
    attempts_exhausted,
    capacity_for,
    free_slots,
    slot_containing,
    slot_starts,
)
from tests.timehelpers import local

QUARTER = dt.timedelta(minutes=15)
MONDAY = [(local(2026, 11, 30, 8, 30), local(2026, 11, 30, 12, 30))]


def test_a_phone_morning_has_sixteen_quarter_hour_slots_from_opening():
    starts = list(slot_starts(MONDAY, QUARTER))
    assert len(starts) == 16
    assert starts[0] == local(2026, 11, 30, 8, 30)
    assert starts[-1] == local(2026, 11, 30, 12, 15)


def test_an_opening_that_is_not_whole_slots_ends_with_a_short_slot():
    opening = [(local(2026, 11, 30, 8, 30), local(2026, 11, 30, 8, 50))]
    assert list(slot_starts(opening, QUARTER)) == [
        local(2026, 11, 30, 8, 30),
        local(2026, 11, 30, 8, 45),
    ]


@pytest.mark.parametrize(
    ("at", "slot"),
    [
        (local(2026, 11, 30, 8, 30), local(2026, 11, 30, 8, 30)),
        (local(2026, 11, 30, 10, 20), local(2026, 11, 30, 10, 15)),
        (local(2026, 11, 30, 12, 29), local(2026, 11, 30, 12, 15)),
        (local(2026, 11, 30, 12, 30), None),
        (local(2026, 11, 30, 8, 29), None),
    ],
)
def test_the_slot_holding_a_time_is_counted_from_opening(at, slot):
    assert slot_containing(at, MONDAY, QUARTER) == slot


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        slot_containing(dt.datetime(2026, 11, 30, 9), MONDAY, QUARTER)


def test_free_slots_skip_full_ones_and_those_before_the_earliest_time():
    starts = list(slot_starts(MONDAY, QUARTER))
    booked = {starts[0]: 2, starts[1]: 1, starts[2]: 2}
    free = list(free_slots(starts, booked, 2, not_before=starts[0]))
    assert free[:2] == [starts[1], starts[3]]
    assert list(free_slots(starts, booked, 2, not_before=starts[2]))[0] == starts[3]


def test_zero_capacity_has_no_free_slots():
    assert list(free_slots(slot_starts(MONDAY, QUARTER), {}, 0)) == []


def test_a_dates_own_capacity_wins_over_its_weekday():
    monday = dt.date(2026, 11, 30)
    assert capacity_for(monday, {0: 3}, {}) == 3
    assert capacity_for(monday, {0: 3}, {monday: 0}) == 0
    assert capacity_for(dt.date(2026, 12, 1), {}, {}) == DEFAULT_CAPACITY


def test_three_unanswered_calls_exhaust_the_attempts():
    assert not attempts_exhausted(2)
    assert attempts_exhausted(3)
