"""``BusinessCalendar`` under its long-standing import path.

It lives in ``calendars.business_calendar``; new code imports it from there.
"""

from calendars.business_calendar import BusinessCalendar

__all__ = ["BusinessCalendar"]
