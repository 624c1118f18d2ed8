"""The schedule that logs answered calls nobody logged (django-q), made idempotently."""

from __future__ import annotations

from typing import Any

from periodic import interval_schedule_ensure

UNLOGGED_SCHEDULE_NAME = "telephony-unlogged-calls"
UNLOGGED_TASK = "telephony.tasks.unlogged_calls_log"


def unlogged_schedule_ensure(*, minutes: int = 5, schedule_model: type | None = None) -> Any:
    """Create or update the schedule (found by name); ``schedule_model`` is for migrations."""
    return interval_schedule_ensure(
        name=UNLOGGED_SCHEDULE_NAME,
        func=UNLOGGED_TASK,
        minutes=minutes,
        schedule_model=schedule_model,
    )
