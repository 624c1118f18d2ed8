"""Background tasks of cases (django-q): each takes primitives and calls one service."""

from __future__ import annotations

from cases import services
from cases.intake.recovery import mail_recover as run_recovery


def mail_recover() -> str:
    """Every minute: take up mail that got stuck (see ``cases.intake.recovery``)."""
    return run_recovery().describe()


def pso_now_roll_over() -> str:
    """Just after midnight: the kept PSO status of organisations whose status ended or began."""
    return f"worked out {services.pso_now_roll_over()} organisations' PSO status again"
