"""The helpdesk's configured business calendars.

``phone_hours()``: when the phone is answered (the promise: Monday–Thursday
08:30–12:30). ``office_hours()``: the working day that the email target counts
in (Monday–Friday 09:00–17:00). Both are closed on Dutch public holidays as the
``holidays`` package lists them for NL.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from scheduling.calendar import BusinessCalendar

TIME_ZONE = "Europe/Amsterdam"

DEFAULT_PHONE_HOURS = {day: ((dt.time(8, 30), dt.time(12, 30)),) for day in range(0, 4)}
DEFAULT_OFFICE_HOURS = {day: ((dt.time(9, 0), dt.time(17, 0)),) for day in range(0, 5)}

#: Years of holidays loaded into a calendar: wide enough for any SLA or
#: callback computed today, small enough to build in a millisecond.
HOLIDAY_YEARS = range(2015, 2041)


@lru_cache(maxsize=1)
def dutch_public_holidays() -> frozenset[dt.date]:
    """Dutch public holidays (Good Friday, Liberation Day in lustrum years included)."""
    return frozenset(holidays.country_holidays("NL", years=HOLIDAY_YEARS).keys())


def phone_hours() -> BusinessCalendar:
    return BusinessCalendar(DEFAULT_PHONE_HOURS, TIME_ZONE, days_off=dutch_public_holidays())


def office_hours() -> BusinessCalendar:
    return BusinessCalendar(DEFAULT_OFFICE_HOURS, TIME_ZONE, days_off=dutch_public_holidays())
