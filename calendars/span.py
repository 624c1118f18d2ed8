"""The span of dates the helpdesk's calendars know: every date a person may ask about.

The configured calendars load Dutch holidays for ``calendars.configured.HOLIDAY_YEARS``
(2015 to 2040); outside those years a calendar cannot say whether a day is open.
So a date typed into a page (a queue day, a report period, a call's start) must lie
inside this span, and anything else is refused with a message instead of being
computed with a calendar that does not know it. Plain Python, no Django.
"""

from __future__ import annotations

import datetime as dt

FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2040, 12, 31)


def within_span(day: dt.date) -> bool:
    """Whether ``day`` is a date the calendars know (``FIRST_DAY`` to ``LAST_DAY``)."""
    return FIRST_DAY <= day <= LAST_DAY
