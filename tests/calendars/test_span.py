"""The dates people may ask about are exactly the years the calendars load holidays for."""

from __future__ import annotations

import datetime as dt

from calendars.configured import HOLIDAY_YEARS
from calendars.span import FIRST_DAY, LAST_DAY, within_span


def test_the_span_is_the_years_with_holidays():
    assert (FIRST_DAY.year, LAST_DAY.year) == (HOLIDAY_YEARS[0], HOLIDAY_YEARS[-1])


def test_dates_outside_the_span_are_refused():
    assert within_span(FIRST_DAY) and within_span(LAST_DAY)
    assert not within_span(FIRST_DAY - dt.timedelta(days=1))
    assert not within_span(dt.date.max) and not within_span(dt.date.min)
