"""Table-driven cases for calendars.business_calendar.BusinessCalendar.

The phone hours (Monday-Thursday 08:30-12:30) and office hours (Monday-Friday 09:00-17:00) in
Europe/Amsterdam, closed on the Dutch public holidays of the ``holidays`` package. Expected
instants are written as ISO strings with their UTC offset, so a wrong DST offset fails too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from calendars.business_calendar import BusinessCalendar
from tests.timehelpers import AMS

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC
H = dt.timedelta(hours=1)
US = dt.timedelta(microseconds=1)

NL_HOLIDAYS = frozenset(
    holidays.country_holidays("NL", years=range(2024, 2033), categories=("public",))
)
PHONE_HOURS = {day: [(dt.time(8, 30), dt.time(12, 30))] for day in range(4)}
OFFICE_HOURS = {day: [(dt.time(9), dt.time(17))] for day in range(5)}
PHONE = BusinessCalendar(PHONE_HOURS, "Europe/Amsterdam", NL_HOLIDAYS)
OFFICE = BusinessCalendar(OFFICE_HOURS, AMS, NL_HOLIDAYS)
OFFICE_NO_HOLIDAYS = BusinessCalendar(OFFICE_HOURS, AMS)


# tests/conftest.py has autouse fixtures that need Django; these same-named no-ops shadow them
# in this module, which needs neither Django nor a database (so it also runs with -p no:django).
@pytest.fixture
def _plain_static_files() -> None:
    """No Django settings to adjust here."""


@pytest.fixture
def _fresh_business_calendars() -> None:
    """No configured (Django-backed) calendars are used here."""


def ams(text: str, fold: int = 0) -> dt.datetime:
    """An Amsterdam wall-clock time, e.g. ``ams("2026-03-26 12:30")``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=AMS, fold=fold)


def iso(result: dt.datetime) -> str:
    """The result as ISO text with its offset, after checking it is in the calendar's zone."""
    assert result.tzinfo is AMS
    return result.isoformat(sep=" ", timespec="minutes")


def test_dutch_public_holidays_include_good_friday_and_liberation_day_in_lustrum_years():
    assert dt.date(2026, 4, 3) in NL_HOLIDAYS  # Good Friday
    assert dt.date(2025, 5, 5) in NL_HOLIDAYS  # Liberation Day, 2025 is a lustrum year
    assert dt.date(2030, 5, 5) in NL_HOLIDAYS
    assert dt.date(2026, 5, 5) not in NL_HOLIDAYS


@pytest.mark.parametrize("year", [2025, 2031])
def test_kings_day_moves_to_saturday_26_april_when_27_april_is_a_sunday(year):
    assert dt.date(year, 4, 27).weekday() == 6
    assert dt.date(year, 4, 26) in NL_HOLIDAYS
    assert dt.date(year, 4, 27) not in NL_HOLIDAYS


# --------------------------------------------------------------------- phone hours


def test_thursday_closing_time_opens_next_monday_0830():
    assert iso(PHONE.next_open(ams("2026-03-12 12:30"))) == "2026-03-16 08:30+01:00"


def test_opening_time_is_open_and_closing_time_is_closed():
    assert PHONE.is_open(ams("2026-03-16 08:30"))
    assert PHONE.is_open(ams("2026-03-16 12:29:59.999999"))
    assert not PHONE.is_open(ams("2026-03-16 12:30"))
    assert not PHONE.is_open(ams("2026-03-16 08:29:59.999999"))


def test_monday_0830_plus_four_hours_ends_at_the_1230_closing_time_not_tuesday():
    assert iso(PHONE.add(ams("2026-03-16 08:30"), 4 * H)) == "2026-03-16 12:30+01:00"


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param("2026-03-16 07:00", "2026-03-16 08:30+01:00", id="before-opening-same-day"),
        pytest.param("2026-03-16 10:00", "2026-03-16 10:00+01:00", id="open-returns-the-input"),
        pytest.param("2026-03-26 12:30", "2026-03-30 08:30+02:00", id="spring-dst-weekend"),
        pytest.param("2026-03-29 03:30", "2026-03-30 08:30+02:00", id="spring-dst-sunday"),
        pytest.param("2026-10-22 12:30", "2026-10-26 08:30+01:00", id="autumn-dst-weekend"),
        pytest.param("2026-05-13 12:30", "2026-05-18 08:30+02:00", id="ascension-thursday"),
        pytest.param("2026-04-23 12:30", "2026-04-28 08:30+02:00", id="kings-day-2026-monday"),
        pytest.param("2025-04-24 12:30", "2025-04-28 08:30+02:00", id="kings-day-2025-saturday"),
        pytest.param("2031-04-24 12:30", "2031-04-28 08:30+02:00", id="kings-day-2031-saturday"),
        pytest.param("2026-04-02 12:30", "2026-04-07 08:30+02:00", id="easter-monday"),
        pytest.param("2026-05-21 12:30", "2026-05-26 08:30+02:00", id="whit-monday"),
        pytest.param("2025-05-01 12:30", "2025-05-06 08:30+02:00", id="liberation-day-lustrum"),
        pytest.param("2026-05-04 12:30", "2026-05-05 08:30+02:00", id="liberation-day-2026-open"),
        pytest.param("2025-12-24 12:30", "2025-12-29 08:30+01:00", id="christmas"),
        pytest.param("2025-12-31 12:30", "2026-01-05 08:30+01:00", id="new-year"),
    ],
)
def test_phone_next_open(at, expected):
    assert iso(PHONE.next_open(ams(at))) == expected


def test_next_open_from_the_repeated_autumn_hour_is_monday():
    second_0230 = ams("2026-10-25 02:30", fold=1)
    assert second_0230.utcoffset() == H
    assert iso(PHONE.next_open(second_0230)) == "2026-10-26 08:30+01:00"


def test_next_open_accepts_any_zone_and_answers_in_amsterdam_time():
    thursday_closing = dt.datetime(2026, 3, 12, 11, 30, tzinfo=UTC)
    assert iso(PHONE.next_open(thursday_closing)) == "2026-03-16 08:30+01:00"
    new_york = dt.datetime(2026, 3, 16, 4, 0, tzinfo=NEW_YORK)  # 09:00 in Amsterdam: open
    result = PHONE.next_open(new_york)
    assert iso(result) == "2026-03-16 09:00+01:00"


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        pytest.param("2026-03-26 10:30", 4, "2026-03-30 10:30+02:00", id="spring-dst-weekend"),
        pytest.param("2026-10-22 10:30", 4, "2026-10-26 10:30+01:00", id="autumn-dst-weekend"),
        pytest.param("2026-05-13 12:00", 1, "2026-05-18 09:00+02:00", id="ascension-thursday"),
        pytest.param("2026-04-23 12:00", 1, "2026-04-28 09:00+02:00", id="kings-day-monday"),
        pytest.param("2025-12-24 10:30", 8, "2025-12-30 10:30+01:00", id="christmas"),
        pytest.param("2025-12-31 10:30", 4, "2026-01-05 10:30+01:00", id="new-year"),
        pytest.param("2026-03-14 10:00", 4, "2026-03-16 12:30+01:00", id="from-a-closed-saturday"),
    ],
)
def test_phone_add(start, hours, expected):
    assert iso(PHONE.add(ams(start), hours * H)) == expected


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        pytest.param("2026-03-26 08:30", "2026-03-30 12:30", 8, id="spring-dst-weekend"),
        pytest.param("2026-10-22 08:30", "2026-10-26 12:30", 8, id="autumn-dst-weekend"),
        pytest.param("2026-03-23 00:00", "2026-03-30 00:00", 16, id="a-normal-week"),
        pytest.param("2026-05-11 00:00", "2026-05-18 00:00", 12, id="ascension-week"),
        pytest.param("2026-03-16 10:00", "2026-03-16 11:00", 1, id="within-one-opening"),
        pytest.param("2026-03-16 13:00", "2026-03-16 10:00", 0, id="end-before-start"),
        # 2026: 209 Mondays-Thursdays, 5 of them holidays (1 Jan, Easter Monday, King's Day,
        # Ascension, Whit Monday): 204 days of 4 hours.
        pytest.param("2026-01-01 00:00", "2027-01-01 00:00", 816, id="the-year-2026"),
    ],
)
def test_phone_elapsed(start, end, hours):
    assert PHONE.elapsed(ams(start), ams(end)) == hours * H


def test_a_year_of_open_time_added_to_new_year_ends_at_the_last_closing_of_the_year():
    year = PHONE.elapsed(ams("2026-01-01 00:00"), ams("2027-01-01 00:00"))
    assert iso(PHONE.add(ams("2026-01-01 00:00"), year)) == "2026-12-31 12:30+01:00"
    two_years = PHONE.elapsed(ams("2026-01-01 00:00"), ams("2028-01-01 00:00"))
    assert iso(PHONE.add(ams("2026-01-01 00:00"), two_years)) == "2027-12-30 12:30+01:00"


def test_openings_across_the_spring_switch_carry_their_own_offsets():
    got = [(iso(s), iso(e)) for s, e in PHONE.openings(dt.date(2026, 3, 26), dt.date(2026, 3, 30))]
    assert got == [
        ("2026-03-26 08:30+01:00", "2026-03-26 12:30+01:00"),
        ("2026-03-30 08:30+02:00", "2026-03-30 12:30+02:00"),
    ]
    assert PHONE.openings(dt.date(2026, 3, 30), dt.date(2026, 3, 26)) == []


def test_holidays_and_fridays_are_not_phone_days():
    assert not PHONE.is_open_day(dt.date(2026, 5, 14))  # Ascension Thursday
    assert PHONE.hours_on(dt.date(2026, 5, 14)) == ()
    assert not PHONE.is_open_day(dt.date(2026, 3, 27))  # a Friday
    assert PHONE.is_open_day(dt.date(2026, 3, 30))
    assert PHONE.hours_on(dt.date(2026, 3, 30)) == ((dt.time(8, 30), dt.time(12, 30)),)
    assert not PHONE.is_open(ams("2026-05-14 10:00"))


# --------------------------------------------------------------------- office hours


def test_tuesday_1015_plus_8h_is_wednesday_1015():
    assert iso(OFFICE.add(ams("2026-03-03 10:15"), 8 * H)) == "2026-03-04 10:15+01:00"


def test_tuesday_2000_plus_8h_is_wednesday_closing_time_1700():
    assert iso(OFFICE.add(ams("2026-03-03 20:00"), 8 * H)) == "2026-03-04 17:00+01:00"


def test_friday_1600_plus_8h_is_monday_1600():
    assert iso(OFFICE.add(ams("2026-03-06 16:00"), 8 * H)) == "2026-03-09 16:00+01:00"


def test_thursday_1100_plus_96h_across_the_spring_switch_lands_at_1100_summer_time():
    # Twelve working days from Thursday 26 March 2026; the clocks go forward on the 29th.
    start = ams("2026-03-26 11:00")
    assert iso(OFFICE_NO_HOLIDAYS.add(start, 96 * H)) == "2026-04-13 11:00+02:00"
    # With Good Friday (3 April) and Easter Monday (6 April) off: two working days later.
    assert iso(OFFICE.add(start, 96 * H)) == "2026-04-15 11:00+02:00"


def test_good_friday_and_easter_monday_close_the_office():
    assert iso(OFFICE.next_open(ams("2026-04-02 17:00"))) == "2026-04-07 09:00+02:00"


def test_the_autumn_switch_weekend_has_no_extra_office_time():
    assert OFFICE.elapsed(ams("2026-10-23 09:00"), ams("2026-10-26 17:00")) == 16 * H


# --------------------------------------------------------------------- DST rules


def sundays(hours: list[tuple[dt.time, dt.time]], tz: str = "Europe/Amsterdam"):
    return BusinessCalendar({6: hours}, tz)


def test_opening_in_the_skipped_hour_starts_when_the_clocks_jump():
    calendar = sundays([(dt.time(2, 30), dt.time(4))])
    ((opens, closes),) = calendar.openings(dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    assert (iso(opens), iso(closes)) == ("2026-03-29 03:00+02:00", "2026-03-29 04:00+02:00")
    assert calendar.elapsed(ams("2026-03-29 00:00"), ams("2026-03-30 00:00")) == H
    assert iso(calendar.next_open(ams("2026-03-28 12:00"))) == "2026-03-29 03:00+02:00"
    assert not calendar.is_open(ams("2026-03-29 01:59:59.999999"))


def test_opening_wholly_inside_the_skipped_hour_does_not_happen_that_day():
    calendar = sundays([(dt.time(2, 10), dt.time(2, 50))])
    assert calendar.openings(dt.date(2026, 3, 29), dt.date(2026, 3, 29)) == []
    assert not calendar.is_open_day(dt.date(2026, 3, 29))
    assert calendar.is_open_day(dt.date(2026, 4, 5))
    assert iso(calendar.next_open(ams("2026-03-28 12:00"))) == "2026-04-05 02:10+02:00"


def test_ambiguous_opening_time_is_its_first_occurrence():
    calendar = sundays([(dt.time(2, 30), dt.time(3, 30))])
    ((opens, closes),) = calendar.openings(dt.date(2026, 10, 25), dt.date(2026, 10, 25))
    assert (iso(opens), iso(closes)) == ("2026-10-25 02:30+02:00", "2026-10-25 03:30+01:00")
    assert calendar.elapsed(opens, closes) == 2 * H
    assert calendar.is_open(ams("2026-10-25 02:15", fold=1))  # between the two 02:30s


def test_an_opening_across_a_switch_lasts_an_hour_more_or_less():
    calendar = sundays([(dt.time(1), dt.time(4))])
    assert calendar.elapsed(ams("2026-10-25 00:00"), ams("2026-10-26 00:00")) == 4 * H
    assert calendar.elapsed(ams("2026-03-29 00:00"), ams("2026-03-30 00:00")) == 2 * H
    assert calendar.elapsed(ams("2026-03-22 00:00"), ams("2026-03-23 00:00")) == 3 * H
    # add counts real time across the jump: 1h30 after 01:30 CET is 04:00 CEST.
    assert iso(calendar.add(ams("2026-03-29 01:30"), 1.5 * H)) == "2026-03-29 04:00+02:00"


def test_new_york_switches_on_its_own_dates():
    calendar = sundays([(dt.time(1), dt.time(4))], "America/New_York")
    day = dt.datetime(2026, 3, 8, tzinfo=NEW_YORK)  # clocks go forward at 02:00
    assert calendar.elapsed(day, day + dt.timedelta(days=1)) == 2 * H
    day = dt.datetime(2026, 11, 1, tzinfo=NEW_YORK)  # clocks go back at 02:00
    assert calendar.elapsed(day, day + dt.timedelta(days=1)) == 4 * H


def test_a_day_skipped_by_the_date_line_has_no_openings():
    apia = ZoneInfo("Pacific/Apia")  # jumped from 29 to 31 December 2011
    calendar = BusinessCalendar({day: [(dt.time(9), dt.time(17))] for day in range(7)}, apia)
    assert not calendar.is_open_day(dt.date(2011, 12, 30))
    result = calendar.next_open(dt.datetime(2011, 12, 29, 17, tzinfo=apia))
    assert result.isoformat() == "2011-12-31T09:00:00+14:00"


# --------------------------------------------------------------------- zero, special, horizon


def test_adding_zero_is_the_start_when_open_and_the_next_opening_when_closed():
    assert iso(PHONE.add(ams("2026-03-16 10:00"), dt.timedelta(0))) == "2026-03-16 10:00+01:00"
    assert iso(PHONE.add(ams("2026-03-16 12:30"), dt.timedelta(0))) == "2026-03-17 08:30+01:00"


def test_microseconds_are_kept():
    start = ams("2026-03-16 12:29:59.999999")
    assert PHONE.add(start, US) == ams("2026-03-16 12:30")
    assert PHONE.add(start, 2 * US) == ams("2026-03-17 08:30:00.000001")
    assert PHONE.elapsed(start, ams("2026-03-17 08:30:00.000001")) == 2 * US


def test_special_hours_replace_the_week_and_days_off_win_over_them():
    calendar = BusinessCalendar(
        PHONE_HOURS,
        AMS,
        days_off=[dt.date(2026, 3, 17)],
        special_hours={
            dt.date(2026, 3, 16): [(dt.time(13), dt.time(14))],  # Monday afternoon instead
            dt.date(2026, 3, 17): [(dt.time(9), dt.time(10))],  # but a day off
            dt.date(2026, 3, 18): [],  # closed
            dt.date(2026, 3, 21): [(dt.time(10), dt.time(11))],  # an open Saturday
        },
    )
    assert calendar.hours_on(dt.date(2026, 3, 16)) == ((dt.time(13), dt.time(14)),)
    assert not calendar.is_open(ams("2026-03-16 09:00"))
    assert iso(calendar.next_open(ams("2026-03-16 09:00"))) == "2026-03-16 13:00+01:00"
    assert iso(calendar.next_open(ams("2026-03-16 14:00"))) == "2026-03-19 08:30+01:00"
    assert iso(calendar.add(ams("2026-03-19 12:00"), H)) == "2026-03-21 10:30+01:00"
    assert calendar.elapsed(ams("2026-03-16 00:00"), ams("2026-03-23 00:00")) == 6 * H


def test_touching_intervals_are_merged_into_one_opening():
    calendar = BusinessCalendar({0: [(dt.time(12), dt.time(13)), (dt.time(8), dt.time(12))]}, AMS)
    assert calendar.hours_on(dt.date(2026, 3, 16)) == ((dt.time(8), dt.time(13)),)
    assert len(calendar.openings(dt.date(2026, 3, 16), dt.date(2026, 3, 16))) == 1


def test_a_calendar_without_hours_has_no_next_opening():
    calendar = BusinessCalendar({}, AMS)
    with pytest.raises(ValueError, match="no opening"):
        calendar.next_open(ams("2026-03-16 09:00"))
    with pytest.raises(ValueError, match="no opening"):
        calendar.add(ams("2026-03-16 09:00"), H)
    assert calendar.elapsed(ams("2026-01-01 00:00"), ams("2036-01-01 00:00")) == dt.timedelta(0)


def test_a_lone_special_day_years_ahead_is_found_within_the_horizon():
    calendar = BusinessCalendar(
        {}, AMS, special_hours={dt.date(2031, 6, 2): [(dt.time(10), dt.time(12))]}
    )
    assert iso(calendar.next_open(ams("2026-03-16 09:00"))) == "2031-06-02 10:00+02:00"
    assert iso(calendar.add(ams("2026-03-16 09:00"), 2 * H)) == "2031-06-02 12:00+02:00"
    with pytest.raises(ValueError, match="no opening"):
        calendar.add(ams("2026-03-16 09:00"), 3 * H)


def test_an_opening_beyond_ten_empty_years_is_out_of_reach():
    calendar = BusinessCalendar(
        {}, AMS, special_hours={dt.date(2040, 6, 4): [(dt.time(10), dt.time(12))]}
    )
    with pytest.raises(ValueError, match="no opening"):
        calendar.next_open(ams("2026-03-16 09:00"))


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda at: PHONE.is_open(at), id="is_open"),
        pytest.param(lambda at: PHONE.next_open(at), id="next_open"),
        pytest.param(lambda at: PHONE.add(at, H), id="add"),
        pytest.param(lambda at: PHONE.elapsed(at, ams("2026-03-20 00:00")), id="elapsed-start"),
        pytest.param(lambda at: PHONE.elapsed(ams("2026-03-10 00:00"), at), id="elapsed-end"),
    ],
)
def test_naive_datetime_raises_value_error(call):
    with pytest.raises(ValueError, match="naive datetime: pass an aware datetime"):
        call(dt.datetime(2026, 3, 16, 9, 0))


def test_negative_duration_raises_value_error():
    with pytest.raises(ValueError, match="negative"):
        PHONE.add(ams("2026-03-16 09:00"), -H)


T = dt.time


@pytest.mark.parametrize(
    "weekly_hours",
    [
        pytest.param({0: [(T(12), T(9))]}, id="end-before-start"),
        pytest.param({0: [(T(9), T(9))]}, id="empty-interval"),
        pytest.param({0: [(T(22), T(2))]}, id="across-midnight"),
        pytest.param({0: [(T(9), T(12)), (T(11), T(13))]}, id="overlapping"),
        pytest.param({7: [(T(9), T(12))]}, id="weekday-7"),
        pytest.param({-1: [(T(9), T(12))]}, id="weekday-minus-1"),
        pytest.param({"monday": [(T(9), T(12))]}, id="weekday-name"),
        pytest.param({0: [("09:00", "12:00")]}, id="strings-for-times"),
        pytest.param({0: [(T(9), T(12), T(13))]}, id="three-times"),
        pytest.param({0: (T(9), T(12))}, id="pair-not-in-a-sequence"),
        pytest.param({0: [(T(9, tzinfo=UTC), T(12, tzinfo=UTC))]}, id="aware-times"),
        pytest.param([(T(9), T(12))], id="not-a-mapping"),
    ],
)
def test_bad_weekly_hours_raise_value_error(weekly_hours):
    with pytest.raises(ValueError, match="weekly_hours"):
        BusinessCalendar(weekly_hours, AMS)


def test_bad_days_off_special_hours_and_zone_raise_value_error():
    with pytest.raises(ValueError, match="days_off"):
        BusinessCalendar(PHONE_HOURS, AMS, [dt.datetime(2026, 1, 1)])
    with pytest.raises(ValueError, match="special_hours"):
        BusinessCalendar(PHONE_HOURS, AMS, special_hours={dt.date(2026, 1, 2): [(T(9), T(8))]})
    with pytest.raises(ValueError, match="time zone"):
        BusinessCalendar(PHONE_HOURS, "Europe/Atlantis")


def test_days_off_are_kept_as_a_frozenset():
    assert isinstance(PHONE.days_off, frozenset)
    assert PHONE.tz is AMS
