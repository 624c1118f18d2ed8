"""The helpdesk's periodic jobs as django-q schedules: one way to create them, for every app.

It sits below every app (it knows no model of theirs), so cases, scheduling and
whatever comes above them schedule their jobs the same way; ``periodic.queue`` hands
a one-off task to the worker the same way for all of them.
"""

from periodic.schedules import cron_next_run, cron_schedule_ensure, interval_schedule_ensure

__all__ = ["cron_next_run", "cron_schedule_ensure", "interval_schedule_ensure"]
