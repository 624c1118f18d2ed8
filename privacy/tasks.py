"""Background tasks of privacy (django-q): each takes primitives and calls one service."""

from __future__ import annotations

from periodic.queue import enqueue
from privacy.retention import RETENTION_TASK, TIME_BUDGET_SECONDS, retention_run


def retention_daily() -> str:
    """Nightly: apply the retention policy; a run out of time hands over to a follow-up."""
    run = retention_run(time_budget=TIME_BUDGET_SECONDS)
    if run.counts.get("unfinished"):
        enqueue(RETENTION_TASK)
    return ", ".join(f"{kind} {count}" for kind, count in run.counts.items())
