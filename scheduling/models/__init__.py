"""The data of scheduling: calendar configuration, callbacks and response targets."""

from scheduling.models.calendar_config import (
    Calendar,
    Closure,
    HolidayChoice,
    HolidayOverride,
    Scope,
    SpecialHours,
    Weekday,
    WeeklyHours,
)

__all__ = [
    "Calendar",
    "Closure",
    "HolidayChoice",
    "HolidayOverride",
    "Scope",
    "SpecialHours",
    "Weekday",
    "WeeklyHours",
]
