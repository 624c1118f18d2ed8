"""The configured business calendars, under their long-standing import path.

The calendars live in the ``calendars`` app (``calendars.configured``); this module
only keeps ``scheduling.calendars.phone_hours()`` and ``office_hours()`` working for
code and checks written against it. New code imports from ``calendars.configured``.
"""

from calendars.configured import (
    CACHE_SECONDS,
    HOLIDAY_YEARS,
    calendar_for,
    clear_calendar_cache,
    current_config,
    day_plan,
    holiday_language,
    mark_calendars_stale,
    office_hours,
    phone_hours,
)
from calendars.preview import month_preview

__all__ = [
    "CACHE_SECONDS",
    "HOLIDAY_YEARS",
    "calendar_for",
    "clear_calendar_cache",
    "current_config",
    "day_plan",
    "holiday_language",
    "mark_calendars_stale",
    "month_preview",
    "office_hours",
    "phone_hours",
]
