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
from scheduling.models.callbacks import (
    Callback,
    CallbackDateCapacity,
    CallbackDay,
    CallbackState,
    CallbackWeekdayCapacity,
)
from scheduling.models.sla import SlaTarget, UrgencyKeyword
from scheduling.models.sla_warnings import SlaWarning, SlaWarningKind

__all__ = [
    "Calendar",
    "Callback",
    "CallbackDateCapacity",
    "CallbackDay",
    "CallbackState",
    "CallbackWeekdayCapacity",
    "Closure",
    "HolidayChoice",
    "HolidayOverride",
    "Scope",
    "SlaTarget",
    "SlaWarning",
    "SlaWarningKind",
    "SpecialHours",
    "Weekday",
    "UrgencyKeyword",
    "WeeklyHours",
]
