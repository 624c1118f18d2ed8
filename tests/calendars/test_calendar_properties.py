"""Property tests: BusinessCalendar against a minute-stepping reference, and its invariants.

Random calendars (zones with and without DST, hours biased to the small hours where the clocks
change, random days off and special hours) and random instants (in UTC, Amsterdam and New York,
biased to the days around DST switches). Minute-aligned inputs are compared with the reference;
inputs with seconds and microseconds are checked against invariants.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendars.business_calendar import BusinessCalendar
from tests.calendars.reference_calendar import ReferenceCalendar
from tests.timehelpers import AMS

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
US = dt.timedelta(microseconds=1)
CALENDAR_ZONES = ("Europe/Amsterdam", "America/New_York", "UTC", "Australia/Lord_Howe")
INPUT_ZONES = (UTC, AMS, ZoneInfo("America/New_York"))
BASE = dt.datetime(2024, 1, 1, tzinfo=UTC)
SPAN_MINUTES = 3 * 365 * 1440  # 2024-2026


def utc(at: dt.datetime) -> dt.datetime:
    """Compare and subtract instants in UTC: within one zone, Python compares and subtracts wall
    times (ignoring fold), and across zones an ambiguous time never compares equal."""
    return at.astimezone(UTC)


def shift(at: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``at`` moved by ``delta`` of real time, in ``at``'s zone (``at + delta`` moves the wall
    clock, which may land on a non-existent or repeated time)."""
    return (utc(at) + delta).astimezone(at.tzinfo)


# Drawing a calendar and its instants is slow by Hypothesis's measure; that is expected here.
SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow])


@cache
def transitions(name: str) -> tuple[dt.datetime, ...]:
    """The UTC minutes at which zone ``name`` changes its offset in 2024-2026."""
    zone = ZoneInfo(name)

    def offset(minute: int) -> dt.timedelta | None:
        return (BASE + minute * MINUTE).astimezone(zone).utcoffset()

    found = []
    for day in range(3 * 365):
        lo, hi = day * 1440, (day + 1) * 1440
        if offset(lo) == offset(hi):
            continue
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if offset(mid) == offset(lo):
                lo = mid
            else:
                hi = mid
        found.append(BASE + hi * MINUTE)
    return tuple(found)


_UNIFORM = st.integers(0, SPAN_MINUTES).map(lambda m: BASE + m * MINUTE)


@cache
def minute_instants(name: str) -> st.SearchStrategy[dt.datetime]:
    """Minute-aligned instants in 2024-2026 in a random input zone; for a zone with DST, half
    of them within two days of one of its switches."""
    when = _UNIFORM
    if transitions(name):
        near_switch = st.builds(
            lambda switch, m: switch + m * MINUTE,
            st.sampled_from(transitions(name)),
            st.integers(-2 * 1440, 2 * 1440),
        )
        when = st.one_of(_UNIFORM, near_switch)
    return st.builds(lambda at, zone: at.astimezone(zone), when, st.sampled_from(INPUT_ZONES))


@cache
def fine_instants(name: str) -> st.SearchStrategy[dt.datetime]:
    """The same with seconds and microseconds."""
    return st.builds(
        lambda at, us: (utc(at) + us * US).astimezone(at.tzinfo),
        minute_instants(name),
        st.integers(0, 60_000_000 - 1),
    )


def _time(minute_of_day: int) -> dt.time:
    return dt.time(minute_of_day // 60, minute_of_day % 60)


# Strategies are built once: building them per draw is what makes hypothesis slow.
_MINUTE_OF_DAY = st.one_of(
    st.integers(0, 1439),
    st.integers(60, 240),
    st.sampled_from([60, 90, 120, 150, 180, 210]),  # on the switches of the zones used
)
_POINTS = {n: st.sets(_MINUTE_OF_DAY, min_size=2 * n, max_size=2 * n) for n in (1, 2)}
_COUNT = st.integers(0, 2)
_OFFSETS = st.integers(-3, 40)


@st.composite
def _day_hours(draw: st.DrawFn) -> list[tuple[dt.time, dt.time]]:
    """0-2 minute-aligned intervals (sometimes touching), biased towards 01:00-04:00."""
    count = draw(_COUNT)
    if count == 0:
        return []
    points = sorted(draw(_POINTS[count]))
    if count == 2 and draw(st.booleans()):  # touching: 08:00-12:00 and 12:00-13:00
        points = [points[0], points[1], points[1], points[3]]
    return [(_time(points[i]), _time(points[i + 1])) for i in range(0, 2 * count, 2)]


DAY_HOURS = _day_hours()
WEEKLY_HOURS = st.lists(DAY_HOURS, min_size=7, max_size=7).map(
    lambda days: {weekday: hours for weekday, hours in enumerate(days) if hours}
)
_DAYS_OFF_OFFSETS = st.lists(_OFFSETS, max_size=8)
_SPECIAL_OFFSETS = st.dictionaries(_OFFSETS, DAY_HOURS, max_size=4)


@st.composite
def calendar_args(draw: st.DrawFn, zone: str, near: dt.date) -> dict:
    """Arguments for a calendar whose days off and special days lie around ``near``."""
    weekly = draw(WEEKLY_HOURS)
    if not weekly:
        weekly[draw(st.integers(0, 6))] = [(dt.time(9), dt.time(17))]
    days_off = {near + dt.timedelta(days=d) for d in draw(_DAYS_OFF_OFFSETS)}
    special = {near + dt.timedelta(days=d): hours for d, hours in draw(_SPECIAL_OFFSETS).items()}
    return {"weekly_hours": weekly, "tz": zone, "days_off": days_off, "special_hours": special}


@st.composite
def scenarios(draw: st.DrawFn, fine: bool = False) -> tuple:
    """(calendar, reference calendar, start instant)."""
    zone = draw(st.sampled_from(CALENDAR_ZONES))
    start = draw(fine_instants(zone) if fine else minute_instants(zone))
    args = draw(calendar_args(zone, start.astimezone(ZoneInfo(zone)).date()))
    return BusinessCalendar(**args), ReferenceCalendar(**args), start


@st.composite
def switch_scenarios(draw: st.DrawFn) -> tuple:
    """(calendar, reference calendar, one of the calendar zone's DST switches)."""
    zone = draw(st.sampled_from([name for name in CALENDAR_ZONES if transitions(name)]))
    switch = draw(st.sampled_from(transitions(zone)))
    args = draw(calendar_args(zone, switch.astimezone(ZoneInfo(zone)).date()))
    return BusinessCalendar(**args), ReferenceCalendar(**args), switch


@cache
def open_minutes() -> st.SearchStrategy[int]:
    """Durations in minutes up to two weeks of open time, small ones more often."""
    return st.one_of(st.integers(0, 600), st.integers(0, 14 * 1440))


# tests/conftest.py has autouse fixtures that need Django; these same-named no-ops shadow them
# in this module, which needs neither Django nor a database (so it also runs with -p no:django).
@pytest.fixture
def _plain_static_files() -> None:
    """No Django settings to adjust here."""


@pytest.fixture
def _fresh_business_calendars() -> None:
    """No configured (Django-backed) calendars are used here."""


# --------------------------------------------------------------------- against the reference


@SETTINGS
@given(scenarios(), st.lists(st.integers(0, 3 * 1440), min_size=1, max_size=12))
def test_is_open_matches_the_minute_reference(scenario, offsets):
    calendar, reference, start = scenario
    for offset in offsets:
        at = shift(start, offset * MINUTE)
        assert calendar.is_open(at) == reference.is_open(at), at


@SETTINGS
@given(switch_scenarios())
def test_every_minute_of_the_days_around_a_dst_switch_matches_the_minute_reference(scenario):
    calendar, reference, switch = scenario
    for minute in range(-30 * 60, 30 * 60):
        at = switch + minute * MINUTE
        assert calendar.is_open(at) == reference.is_open(at), at


@SETTINGS
@given(scenarios())
def test_next_open_matches_the_minute_reference(scenario):
    calendar, reference, start = scenario
    assert utc(calendar.next_open(start)) == utc(reference.next_open(start))


@SETTINGS
@given(scenarios(), open_minutes())
def test_add_matches_the_minute_reference(scenario, minutes):
    calendar, reference, start = scenario
    # Keep within what the calendar offers in eight weeks (some random calendars are open one
    # minute a week): the reference steps through every minute up to the answer.
    available = calendar.elapsed(start, shift(start, dt.timedelta(weeks=8))) // MINUTE
    duration = minutes % (available + 1) * MINUTE
    assert utc(calendar.add(start, duration)) == utc(reference.add(start, duration))


@SETTINGS
@given(scenarios(), st.integers(-600, 14 * 1440))
def test_elapsed_matches_the_minute_reference(scenario, minutes):
    calendar, reference, start = scenario
    end = shift(start, minutes * MINUTE)
    assert calendar.elapsed(start, end) == reference.elapsed(start, end)


@SETTINGS
@given(scenarios(), st.lists(st.integers(0, 3 * 1440), min_size=1, max_size=12))
def test_outside_the_repeated_hour_open_means_the_wall_clock_is_within_hours(scenario, offsets):
    calendar, reference, start = scenario
    for offset in offsets:
        at = shift(start, offset * MINUTE).astimezone(calendar.tz)
        if at.utcoffset() != at.replace(fold=1 - at.fold).utcoffset():
            continue  # a wall-clock time that happens twice: the reference's rule is exact
        assert calendar.is_open(at) == reference.wall_clock_open(at), at


# --------------------------------------------------------------------- invariants


@SETTINGS
@given(scenarios(fine=True), st.integers(0, 60 * 86_400 * 1_000_000))
def test_add_then_elapsed_gives_back_the_duration(scenario, microseconds):
    calendar, _, start = scenario
    duration = microseconds * US
    result = calendar.add(start, duration)
    assert result.tzinfo is calendar.tz
    assert utc(result) >= utc(start)
    assert calendar.elapsed(start, result) == duration
    if duration:
        assert calendar.elapsed(start, shift(result, -US)) < duration  # the earliest such instant


@SETTINGS
@given(
    scenarios(fine=True),
    st.integers(0, 30 * 86_400 * 1_000_000),
    st.integers(0, 30 * 86_400 * 1_000_000),
)
def test_add_is_monotone_in_the_duration(scenario, a, b):
    calendar, _, start = scenario
    short, long = sorted((a * US, b * US))
    assert utc(calendar.add(start, short)) <= utc(calendar.add(start, long))


@SETTINGS
@given(scenarios(fine=True), st.integers(0, 5 * 86_400 * 1_000_000), open_minutes())
def test_add_is_monotone_in_the_start(scenario, later_by, minutes):
    calendar, _, start = scenario
    duration = minutes * MINUTE
    later = shift(start, later_by * US)
    assert utc(calendar.add(start, duration)) <= utc(calendar.add(later, duration))


@SETTINGS
@given(
    scenarios(fine=True),
    st.integers(0, 20 * 86_400 * 1_000_000),
    st.integers(1, 20 * 86_400 * 1_000_000),
)
def test_adding_in_two_steps_is_adding_the_sum(scenario, first, second):
    calendar, _, start = scenario
    halfway = calendar.add(start, first * US)
    at_once = calendar.add(start, (first + second) * US)
    assert utc(calendar.add(halfway, second * US)) == utc(at_once)


@SETTINGS
@given(scenarios(fine=True))
def test_next_open_is_an_open_instant_at_or_after_the_input(scenario):
    calendar, _, start = scenario
    opens = calendar.next_open(start)
    assert opens.tzinfo is calendar.tz
    assert utc(opens) >= utc(start)
    assert calendar.is_open(opens)
    assert calendar.elapsed(start, opens) == dt.timedelta(0)
    if calendar.is_open(start):
        assert utc(opens) == utc(start)
    else:
        assert not calendar.is_open(shift(opens, -US))
    assert utc(calendar.add(start, dt.timedelta(0))) == utc(opens)


@SETTINGS
@given(
    scenarios(fine=True),
    st.integers(0, 20 * 86_400 * 1_000_000),
    st.integers(0, 20 * 86_400 * 1_000_000),
)
def test_elapsed_adds_up_over_consecutive_spans(scenario, a, b):
    calendar, _, start = scenario
    middle, end = shift(start, a * US), shift(start, (a + b) * US)
    whole = calendar.elapsed(start, end)
    assert whole == calendar.elapsed(start, middle) + calendar.elapsed(middle, end)
    assert calendar.elapsed(end, start) == dt.timedelta(0)
    assert dt.timedelta(0) <= whole <= utc(end) - utc(start)


def _open_time_from_openings(calendar, start, end):
    """Open time between two instants summed from openings(): day by day, no year tables."""
    total = dt.timedelta(0)
    first = start.astimezone(calendar.tz).date() - dt.timedelta(days=1)
    last = end.astimezone(calendar.tz).date() + dt.timedelta(days=1)
    start, end = utc(start), utc(end)
    for opens, closes in calendar.openings(first, last):
        lo, hi = max(utc(opens), start), min(utc(closes), end)
        if hi > lo:
            total += hi - lo
    return total


_LONG_SPAN_DAYS = st.integers(0, 7 * 365).map(lambda d: dt.date(2024, 1, 1) + dt.timedelta(days=d))


@st.composite
def long_span_scenarios(draw: st.DrawFn) -> tuple[BusinessCalendar, dt.datetime]:
    """Random hours with days off and special days spread over 2024-2030, and a start."""
    zone = draw(st.sampled_from(CALENDAR_ZONES))
    weekly = draw(WEEKLY_HOURS)
    days_off = draw(st.lists(_LONG_SPAN_DAYS, max_size=60))
    special = draw(st.dictionaries(_LONG_SPAN_DAYS, DAY_HOURS, max_size=20))
    start = draw(fine_instants(zone))
    return BusinessCalendar(weekly, zone, days_off, special_hours=special), start


@given(long_span_scenarios(), st.integers(0, 3 * 365 * 86_400 * 1_000_000))
def test_elapsed_over_years_equals_the_sum_of_the_day_by_day_openings(scenario, length):
    calendar, start = scenario
    end = shift(start, length * US)
    assert calendar.elapsed(start, end) == _open_time_from_openings(calendar, start, end)


@given(long_span_scenarios(), st.integers(1, 1000 * 3600 * 1_000_000))
def test_add_over_years_lands_where_the_day_by_day_openings_say(scenario, microseconds):
    calendar, start = scenario
    duration = microseconds * US
    if not any(calendar.weekly_hours) and not calendar.special_hours:
        return  # no hours at all: nothing to add
    try:
        result = calendar.add(start, duration)
    except ValueError:
        # Only a calendar without regular weekly hours can run out of openings.
        assert not any(calendar.weekly_hours)
        return
    assert _open_time_from_openings(calendar, start, result) == duration
    assert _open_time_from_openings(calendar, start, shift(result, -US)) < duration
