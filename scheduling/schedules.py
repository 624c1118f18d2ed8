"""Moved to ``periodic``, below every app; kept so older imports keep working."""

from periodic.schedules import cron_next_run, cron_schedule_ensure, interval_schedule_ensure

__all__ = ["cron_next_run", "cron_schedule_ensure", "interval_schedule_ensure"]
