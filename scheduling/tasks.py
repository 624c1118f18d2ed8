"""Background tasks of scheduling (django-q): each takes primitives and calls one service."""

from __future__ import annotations

from scheduling.callbacks.morning import callbacks_morning as run_morning
from scheduling.reports.weekly_mail import sla_report_mail_send
from scheduling.sla_warnings import sla_warnings_send as send


def callbacks_morning() -> str:
    """The phone-day morning run: move missed callbacks, mail the day's queue."""
    result = run_morning()
    return f"moved {len(result.moved)} callbacks, mailed {result.mailed} digests"


def sla_report_weekly() -> str:
    """Monday before opening: mail the managers last week's SLA figures."""
    return f"mailed {sla_report_mail_send()} SLA reports"


def sla_warnings_send() -> str:
    """Every five minutes: warn about cases near or past their first-answer target."""
    return f"claimed {send()} SLA warnings"
