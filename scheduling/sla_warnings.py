"""Warnings before and at the first-answer target, each mailed once.

Every five minutes (the django-q schedule ``sla-warnings``, or ``manage.py
sla_warnings`` by hand) :func:`sla_warnings_send` looks at the active cases that
still wait for their first answer and whose clock runs (not waiting on the
customer, so not paused):

* **approaching**: when at most ``settings.SLA_WARNING_BEFORE`` of *office time*
  (``calendars.configured.office_hours()``; ``SLA_WARNING_MINUTES`` in the environment,
  default 2 working hours) is left and
  the office is open. The time left is working time, so a case due Monday 11:00
  is not warned about on Friday afternoon (3 working hours left) and, although only
  2 working hours are left from Friday 17:00 on, the warning waits for Monday
  09:00, when someone is there to act on it;
* **breached**: once the due time has passed, at any hour. A case that is already
  overdue when first seen gets only this one.

The assignee is warned; when nobody is assigned, every active manager with an
email address. Answered, resolved, closed and paused cases get no warnings.

**Each warning at most once.** The claim is an :class:`SlaWarning` row, unique
per (case, kind), inserted in a transaction before any mail is sent; the mail
goes out only after that transaction commits (``on_commit``). A second run, an
overlapping worker or a retry of the task finds the row (IntegrityError) and
sends nothing. The price: if the process dies between the commit and the mail
(or the mail server refuses it; that is logged), the warning is lost rather
than sent twice. We prefer that: the case stays visible on the dashboard and on
the "at risk" page, while a flood of repeated warnings would teach people to
ignore them.

**Selection.** "At most 2 working hours left" cannot be written as a fixed SQL
interval, because working time skips nights, weekends and closures. The limit
``office_hours().add(now, threshold)`` is computed once in Python, the database
returns only the unanswered running cases due by then that still lack the
warning, and the exact working time left is checked per row with the calendar
(pure arithmetic, no queries) before a warning is claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from calendars.configured import office_hours
from cases.first_answer import rules as sla_rules
from cases.models import Case, Status
from periodic import cron_schedule_ensure
from scheduling.models import SlaWarning, SlaWarningKind
from staff.notify import staff_mail_send
from staff.roles import addresses, managers

logger = logging.getLogger(__name__)

SLA_WARNINGS_SCHEDULE_NAME = "sla-warnings"
SLA_WARNINGS_TASK = "scheduling.tasks.sla_warnings_send"
SLA_WARNINGS_CRON = "*/5 * * * *"

ZERO = dt.timedelta()


def warning_before() -> dt.timedelta:
    """The working time before the due time at which the assignee is warned."""
    return settings.SLA_WARNING_BEFORE


def warning_kind(
    *,
    calendar: sla_rules.WorkingCalendar,
    due: dt.datetime,
    now: dt.datetime,
    before: dt.timedelta,
    office_open: bool,
) -> SlaWarningKind | None:
    """Which warning a running, unanswered case due at ``due`` needs at ``now``, if any.

    Breached once the due time has passed; approaching when at most ``before``
    working time is left and the office is open (``office_open``), so a warning
    that falls due while the office is closed goes out at the next opening.
    """
    if due <= now:
        return SlaWarningKind.BREACHED
    if office_open and sla_rules.remaining(calendar, due, now) <= before:
        return SlaWarningKind.APPROACHING
    return None


def _missing(kind: str) -> Exists:
    return ~Exists(SlaWarning.objects.filter(case=OuterRef("pk"), kind=kind))


def warning_candidates(*, now: dt.datetime, limit: dt.datetime) -> QuerySet[Case]:
    """Running unanswered cases due by ``limit`` that still lack the warning they may need."""
    return (
        Case.objects.filter(
            status__in=[Status.NEW, Status.OPEN],
            first_response_at__isnull=True,
            sla_paused_since__isnull=True,
            due_at__isnull=False,
            due_at__lte=limit,
        )
        .filter(_missing(SlaWarningKind.APPROACHING) | _missing(SlaWarningKind.BREACHED))
        .annotate(
            has_approaching=~_missing(SlaWarningKind.APPROACHING),
            has_breached=~_missing(SlaWarningKind.BREACHED),
        )
        .select_related("assignee", "organisation")
        .order_by("due_at", "pk")
    )


def manager_addresses() -> list[str]:
    """Email addresses of the active managers, the people warned about unassigned cases."""
    return addresses(managers())


@dataclass(frozen=True)
class _Warning:
    case: Case
    kind: str
    recipients: tuple[str, ...]


def _recipients(case: Case, managers: list[str]) -> list[str]:
    if case.assignee is not None and case.assignee.is_active and case.assignee.email:
        return [case.assignee.email]
    return managers


def _claim(case: Case, kind: str, recipients: list[str], now: dt.datetime) -> bool:
    """Insert the warning's row; False when it exists already (sent by an earlier run)."""
    try:
        with transaction.atomic():
            SlaWarning.objects.create(
                case=case,
                kind=kind,
                due_at=case.due_at,
                sent_at=now,
                recipients="\n".join(recipients),
            )
    except IntegrityError:
        return False
    return True


def _send(warnings: list[_Warning], now: dt.datetime) -> None:
    """Mail the claimed warnings (after commit); a refused mail is logged, never retried."""
    calendar = office_hours()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for warning in warnings:
            case = warning.case
            context = {
                "case": case,
                "kind": warning.kind,
                "due_at": timezone.localtime(case.due_at),
                "remaining": sla_rules.remaining(calendar, case.due_at, now),
                "case_url": f"{settings.SITE_URL}{reverse('case_detail', args=[case.reference])}",
            }
            subject = render_to_string("scheduling/email/sla_warning_subject.txt", context)
            body = render_to_string("scheduling/email/sla_warning_body.txt", context)
            try:
                sent += staff_mail_send(to=warning.recipients, subject=subject, text=body)
            except Exception:
                logger.exception(
                    "The %s warning of %s could not be mailed", warning.kind, case.reference
                )
    logger.info("SLA warnings mailed: %d", sent)


def sla_warnings_send(*, now: dt.datetime | None = None) -> int:
    """Warn about cases near or past their first-answer target; returns the warnings claimed.

    Safe to run as often as wanted: each (case, kind) is claimed once; the mails
    go out after the claims commit. See the module documentation for the rules.
    """
    now = now or timezone.now()
    calendar = office_hours()
    before = warning_before()
    office_open = calendar.is_open(now)
    limit = calendar.add(now, before) if office_open else now
    managers: list[str] | None = None
    claimed: list[_Warning] = []
    with transaction.atomic():
        for case in warning_candidates(now=now, limit=limit):
            kind = warning_kind(
                calendar=calendar, due=case.due_at, now=now, before=before, office_open=office_open
            )
            if kind is None:
                continue
            if kind == SlaWarningKind.APPROACHING and case.has_approaching:
                continue
            if kind == SlaWarningKind.BREACHED and case.has_breached:
                continue
            if case.assignee is None or not case.assignee.email:
                managers = manager_addresses() if managers is None else managers
            recipients = _recipients(case, managers or [])
            if not recipients:
                logger.warning("SLA warning for %s has nobody to go to", case.reference)
            if _claim(case, kind, recipients, now):
                claimed.append(_Warning(case=case, kind=kind, recipients=tuple(recipients)))
        if claimed:
            transaction.on_commit(lambda: _send(claimed, now))
    return len(claimed)


def sla_warnings_schedule_ensure(*, schedule_model: type | None = None) -> object:
    """Create or update the five-minute django-q schedule of the warnings (one row, by name)."""
    return cron_schedule_ensure(
        name=SLA_WARNINGS_SCHEDULE_NAME,
        func=SLA_WARNINGS_TASK,
        cron=SLA_WARNINGS_CRON,
        schedule_model=schedule_model,
    )
