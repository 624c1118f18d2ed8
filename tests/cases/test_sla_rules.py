"""The arithmetic of the first-answer target, on the default office hours (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendars.business_calendar import BusinessCalendar
from calendars.configured import DEFAULT_OFFICE_HOURS, TIME_ZONE, dutch_public_holidays
from cases.first_answer import rules as sla_rules
from tests.timehelpers import AMS, local

H = dt.timedelta(hours=1)
WORKING_DAY = 8 * H
THREE_DAYS = 24 * H


@pytest.fixture(scope="module")
def office() -> BusinessCalendar:
    """The default office hours with the Dutch public holidays, as configured out of the box."""
    return BusinessCalendar(DEFAULT_OFFICE_HOURS, TIME_ZONE, days_off=dutch_public_holidays())


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # The promise's worked examples (1 December 2026 is a Tuesday).
        (local(2026, 12, 1, 10, 15), local(2026, 12, 2, 10, 15)),
        (local(2026, 12, 1, 20, 0), local(2026, 12, 2, 17, 0)),
        (local(2026, 12, 4, 16, 0), local(2026, 12, 7, 16, 0)),
        # Before opening: the whole next opening day.
        (local(2026, 12, 1, 7, 0), local(2026, 12, 1, 17, 0)),
        # Saturday: Monday's whole day.
        (local(2026, 12, 5, 11, 0), local(2026, 12, 7, 17, 0)),
        # Christmas Eve 2026 is a Thursday: one hour on Thursday, Christmas on Friday,
        # the weekend (Boxing Day is a Saturday), seven hours on Monday.
        (local(2026, 12, 24, 16, 0), local(2026, 12, 28, 16, 0)),
        # The evening before Ascension Day (Thursday 14 May 2026): due on the Friday.
        (local(2026, 5, 13, 20, 0), local(2026, 5, 15, 17, 0)),
        # Good Friday 2026 (3 April) and Easter Monday (6 April) are skipped.
        (local(2026, 4, 2, 12, 0), local(2026, 4, 7, 12, 0)),
    ],
)
def test_urgent_email_is_due_one_office_day_later(office, received, due):
    assert sla_rules.due_at(office, received, WORKING_DAY) == due


def test_target_running_out_at_closing_is_due_at_closing_not_next_morning(office):
    assert sla_rules.due_at(office, local(2026, 12, 1, 9, 0), WORKING_DAY) == local(
        2026, 12, 1, 17, 0
    )


def test_normal_email_gets_three_office_days(office):
    assert sla_rules.due_at(office, local(2026, 12, 1, 10, 15), THREE_DAYS) == local(
        2026, 12, 4, 10, 15
    )


@pytest.mark.parametrize(
    ("received", "due_utc"),
    [
        # Autumn: CEST on Friday, CET on Monday; 16:00 local both days.
        (local(2026, 10, 23, 16, 0), dt.datetime(2026, 10, 26, 15, 0, tzinfo=dt.UTC)),
        # Spring: CET on Friday, CEST on Monday.
        (local(2026, 3, 27, 16, 0), dt.datetime(2026, 3, 30, 14, 0, tzinfo=dt.UTC)),
    ],
)
def test_due_time_over_a_dst_weekend_keeps_the_wall_clock(office, received, due_utc):
    due = sla_rules.due_at(office, received, WORKING_DAY)
    assert due == due_utc
    assert due.astimezone(AMS).time() == dt.time(16, 0)


def test_closure_is_skipped_like_a_holiday():
    closed_wednesday = BusinessCalendar(
        DEFAULT_OFFICE_HOURS, TIME_ZONE, days_off=[dt.date(2026, 12, 2)]
    )
    assert sla_rules.due_at(closed_wednesday, local(2026, 12, 1, 10, 15), WORKING_DAY) == local(
        2026, 12, 3, 10, 15
    )


def test_changed_hours_count_only_the_shortened_opening():
    short_wednesday = BusinessCalendar(
        DEFAULT_OFFICE_HOURS,
        TIME_ZONE,
        special_hours={dt.date(2026, 12, 2): [(dt.time(9), dt.time(12))]},
    )
    # Two hours on Tuesday, three on the short Wednesday, three more on Thursday.
    assert sla_rules.due_at(short_wednesday, local(2026, 12, 1, 15, 0), WORKING_DAY) == local(
        2026, 12, 3, 12, 0
    )


def test_pause_of_two_office_hours_moves_due_by_two_hours(office):
    due = local(2026, 12, 2, 10, 15)
    moved, waited = sla_rules.moved_due_at(
        office, due, local(2026, 12, 1, 11, 0), local(2026, 12, 1, 13, 0)
    )
    assert waited == 2 * H
    assert moved == local(2026, 12, 2, 12, 15)


def test_pause_over_a_weekend_moves_due_by_the_office_time_only(office):
    # Waiting from Friday 16:00 to Monday 10:00: one hour Friday, one hour Monday.
    due = local(2026, 12, 7, 16, 0)
    moved, waited = sla_rules.moved_due_at(
        office, due, local(2026, 12, 4, 16, 0), local(2026, 12, 7, 10, 0)
    )
    assert waited == 2 * H
    # Monday 16:00 plus two office hours: one on Monday, one on Tuesday morning.
    assert moved == local(2026, 12, 8, 10, 0)


def test_pause_entirely_outside_office_hours_moves_nothing(office):
    due = local(2026, 12, 2, 10, 15)
    moved, waited = sla_rules.moved_due_at(
        office, due, local(2026, 12, 1, 18, 0), local(2026, 12, 1, 22, 0)
    )
    assert (moved, waited) == (due, dt.timedelta())


def test_late_by_counts_working_time_after_the_due_time(office):
    due = local(2026, 12, 4, 16, 0)  # Friday
    assert sla_rules.late_by(office, due, local(2026, 12, 7, 10, 30)) == 2 * H + 30 * dt.timedelta(
        minutes=1
    )


def test_late_by_is_zero_when_answered_in_time(office):
    due = local(2026, 12, 2, 10, 15)
    assert sla_rules.late_by(office, due, local(2026, 12, 2, 10, 15)) == dt.timedelta()
    assert sla_rules.late_by(office, due, local(2026, 12, 1, 12, 0)) == dt.timedelta()


def test_late_by_stops_counting_when_the_case_was_paused(office):
    due = local(2026, 12, 2, 10, 0)
    late = sla_rules.late_by(office, due, local(2026, 12, 3, 15, 0), local(2026, 12, 2, 11, 0))
    assert late == H


def test_remaining_is_negative_when_overdue_and_frozen_while_paused(office):
    due = local(2026, 12, 2, 10, 0)
    assert sla_rules.remaining(office, due, local(2026, 12, 1, 16, 0)) == 2 * H
    assert sla_rules.remaining(office, due, local(2026, 12, 2, 12, 0)) == -2 * H
    assert (
        sla_rules.remaining(office, due, local(2026, 12, 3, 12, 0), local(2026, 12, 1, 16, 0))
        == 2 * H
    )


@pytest.mark.parametrize(
    ("subject", "urgent"),
    [
        ("SPOED: certificaat verloopt morgen", True),
        ("Vraag over de audit (spoed)", True),
        ("Urgent question about Trede 2", True),
        ("urgentie van de aanvraag", False),
        ("Spoedcursus sociaal ondernemen", False),
        ("Re: SPOED-aanvraag", True),
        ("", False),
    ],
)
def test_subject_is_urgent_by_whole_word_in_any_case(subject, urgent):
    assert sla_rules.subject_is_urgent(subject, ["spoed", "urgent"]) is urgent


def test_no_words_means_no_mail_is_urgent_by_rule():
    assert sla_rules.subject_is_urgent("SPOED", []) is False


_instants = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(AMS)
)
_targets = st.integers(min_value=1, max_value=5 * 8 * 60).map(lambda m: dt.timedelta(minutes=m))


@given(received=_instants, target=_targets)
def test_due_at_leaves_exactly_the_target_in_office_time(office, received, target):
    due = sla_rules.due_at(office, received, target)
    assert office.elapsed(received, due) == target


@given(a=_instants, b=_instants, target=_targets)
def test_due_at_is_monotone_in_the_moment_received(office, a, b, target):
    first, second = sorted((a, b))
    assert sla_rules.due_at(office, first, target) <= sla_rules.due_at(office, second, target)
