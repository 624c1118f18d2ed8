"""Background tasks of cases (django-q): each takes primitives and calls one service."""

from __future__ import annotations

from cases.intake.recovery import mail_recover as run_recovery


def mail_recover() -> str:
    """Every minute: take up mail that got stuck (see ``cases.intake.recovery``)."""
    return run_recovery().describe()
