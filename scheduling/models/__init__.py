"""The data of scheduling: callbacks, their capacity, and the target warnings sent."""

from scheduling.models.callbacks import (
    Callback,
    CallbackDateCapacity,
    CallbackDay,
    CallbackState,
    CallbackWeekdayCapacity,
)
from scheduling.models.sla_warnings import SlaWarning, SlaWarningKind

__all__ = [
    "Callback",
    "CallbackDateCapacity",
    "CallbackDay",
    "CallbackState",
    "CallbackWeekdayCapacity",
    "SlaWarning",
    "SlaWarningKind",
]
