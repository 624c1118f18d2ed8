"""The every-minute schedule that polls the active mailboxes (django-q), made idempotently."""

from __future__ import annotations

from typing import Any

from periodic import interval_schedule_ensure

POLL_SCHEDULE_NAME = "mailboxes-poll"
POLL_TASK = "mailboxes.tasks.mailboxes_poll"


def poll_schedule_ensure(*, minutes: int = 1, schedule_model: type | None = None) -> Any:
    """Create or update the poll schedule (found by name); ``schedule_model`` is for migrations."""
    return interval_schedule_ensure(
        name=POLL_SCHEDULE_NAME, func=POLL_TASK, minutes=minutes, schedule_model=schedule_model
    )
