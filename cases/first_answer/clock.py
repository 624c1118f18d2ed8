"""The first-answer target of a case: when it is due, pauses, lateness and urgency.

The helpdesk promises that urgent email is answered within one working day. Every
case gets a target when it is opened (``case_open`` calls :func:`case_start_clock`):
the working time allowed for its channel and priority (:class:`SlaTarget`, editable
by managers) is copied onto the case as ``sla_target``, and ``due_at`` is that much
office time (``calendars.configured.office_hours()``) after the case came in. A
changed target therefore applies to new cases only.

Default targets (office hours, 8 hours a working day):

============  ==================  ==================================================
channel       urgent              normal
============  ==================  ==================================================
email         1 working day (8h)  3 working days (24h)
web           1 working day (8h)  3 working days (24h) — a web form is written mail
phone         4 working hours     1 working day (8h) — the caller is called back
                                  within phone hours; the callback queue plans the
                                  call, this target measures whether it came in time
============  ==================  ==================================================

Rules kept here (``cases.services`` and mail intake call them; they never save a case
except :func:`case_first_response`, which must win a race):

* **Pause**: while a case waits on the customer (status ``waiting``) its clock stands
  still. When it leaves ``waiting`` (the customer replied, or staff set it back), the
  due time moves by the *office* time spent waiting, and ``sla_paused_total`` grows
  by the same working time.
* **Priority change**: the due time is recomputed from the case's ``created_at`` with
  the target that now applies to the new priority, plus the working time it has
  spent paused so far.
* **First response** (a staff reply by mail, an answered call): ``first_response_at``
  is set once (the first one wins, by a conditional update), with ``late_by``, the
  working time after the due time (zero when on time), and ``response_time``, the
  working time from opening to the answer without the paused time.
* **Urgency of mail**: urgent when staff mark it so, or when the subject contains one
  of the active :class:`UrgencyKeyword` words as a whole word (default "spoed" and
  "urgent"). Priority headers set by the sender are shown but never decide.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

from calendars.configured import office_hours
from cases.first_answer import rules as sla_rules
from cases.first_answer.wording import time_left_words
from cases.models import Case, SlaTarget, UrgencyKeyword

logger = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
WORKING_DAY = 8 * HOUR

#: (channel, priority) → working time, used when no SlaTarget row configures it.
DEFAULT_TARGETS: dict[tuple[str, str], dt.timedelta] = {
    ("email", "urgent"): WORKING_DAY,
    ("email", "normal"): 3 * WORKING_DAY,
    ("web", "urgent"): WORKING_DAY,
    ("web", "normal"): 3 * WORKING_DAY,
    ("phone", "urgent"): 4 * HOUR,
    ("phone", "normal"): WORKING_DAY,
}
#: The words that make a mail urgent as the migration creates them.
DEFAULT_URGENCY_WORDS = ("spoed", "urgent")

#: A case is "at risk" when less than this much working time is left.
AT_RISK_WITHIN = 2 * HOUR


# --- Configuration read once per batch -----------------------------------------------------

_T = TypeVar("_T")
_kept: ContextVar[dict[Any, Any] | None] = ContextVar("first_answer_kept", default=None)


@contextlib.contextmanager
def configuration_kept() -> Iterator[None]:
    """Within this block the response targets and the urgency words are read once.

    For a batch of mail processed in one go (a few seconds): a manager's change to a
    target or a word applies from the next batch on, as it would have a few seconds
    later anyway. Outside such a block every call reads the configuration afresh; inside
    one, a nested block keeps what the outer one read.
    """
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _kept_or(key: Any, load: Callable[[], _T]) -> _T:
    kept = _kept.get()
    if kept is None:
        return load()
    if key not in kept:
        kept[key] = load()
    return kept[key]


# --- Targets ---------------------------------------------------------------------------------


def target_for(channel: str, priority: str) -> dt.timedelta:
    """The working time now allowed for a first answer on ``channel`` at ``priority``."""
    configured = _kept_or(
        ("target", channel, priority),
        lambda: (
            SlaTarget.objects.filter(channel=channel, priority=priority)
            .values_list("working_time", flat=True)
            .first()
        ),
    )
    if configured is not None:
        return configured
    try:
        return DEFAULT_TARGETS[(channel, priority)]
    except KeyError:
        message = f"no response target for channel {channel!r}, priority {priority!r}"
        raise ValueError(message) from None


def due_at(received_at: dt.datetime, priority: str, channel: str) -> dt.datetime:
    """When the first answer to something received at ``received_at`` is due.

    Counted in office hours with the target configured for (``channel``,
    ``priority``): urgent email received Tuesday 10:15 is due Wednesday 10:15,
    Tuesday 20:00 → Wednesday 17:00, Friday 16:00 → Monday 16:00; public
    holidays and closures are skipped.
    """
    return sla_rules.due_at(office_hours(), received_at, target_for(channel, priority))


# --- The clock of one case (the caller saves) ---------------------------------------------------


def case_start_clock(case: Case, *, received_at: dt.datetime | None = None) -> None:
    """Give a new (unsaved or just opened) case its target and due time; does not save."""
    case.sla_target = target_for(case.channel, case.priority)
    case.due_at = sla_rules.due_at(office_hours(), received_at or case.created_at, case.sla_target)


def case_paused(case: Case, at: dt.datetime) -> None:
    """The case starts waiting on the customer: stop its clock at ``at``; does not save."""
    if case.sla_paused_since is None:
        case.sla_paused_since = at


def case_resumed(case: Case, at: dt.datetime) -> None:
    """The case stops waiting: move its due time by the office time spent waiting; does not save.

    Nothing happens when the clock was not paused, so calling it twice is harmless.
    """
    if case.sla_paused_since is None:
        return
    if case.due_at is not None:
        case.due_at, waited = sla_rules.moved_due_at(
            office_hours(), case.due_at, case.sla_paused_since, at
        )
    else:
        waited = office_hours().elapsed(case.sla_paused_since, at)
    case.sla_paused_total = (case.sla_paused_total or dt.timedelta()) + waited
    case.sla_paused_since = None


def case_priority_changed(case: Case) -> None:
    """Recompute the target after a change of priority; does not save.

    The new target is the one configured now for the new priority, counted from
    the moment the case was opened plus the working time it has spent paused.
    An already answered case keeps its record as it was.
    """
    if case.first_response_at is not None:
        return
    case.sla_target = target_for(case.channel, case.priority)
    allowed = case.sla_target + (case.sla_paused_total or dt.timedelta())
    case.due_at = sla_rules.due_at(office_hours(), case.created_at, allowed)


@transaction.atomic
def case_first_response(case: Case, at: dt.datetime) -> bool:
    """Record the first answer to ``case`` at ``at``, with its lateness in working time.

    Written with a conditional update, so of two answers at the same moment the
    first one to commit wins and the other changes nothing. Returns whether this
    call set it. ``case`` is brought in step with the database either way.
    """
    row = (
        Case.objects.filter(pk=case.pk)
        .values("first_response_at", "due_at", "sla_paused_since", "sla_paused_total", "created_at")
        .get()
    )
    updated = 0
    if row["first_response_at"] is None:
        calendar = office_hours()
        late = None
        if row["due_at"] is not None:
            late = sla_rules.late_by(calendar, row["due_at"], at, row["sla_paused_since"])
        clock_end = at
        if row["sla_paused_since"] is not None and row["sla_paused_since"] < at:
            clock_end = row["sla_paused_since"]
        worked = calendar.elapsed(row["created_at"], clock_end) - (
            row["sla_paused_total"] or dt.timedelta()
        )
        updated = Case.objects.filter(pk=case.pk, first_response_at__isnull=True).update(
            first_response_at=at, late_by=late, response_time=max(worked, dt.timedelta())
        )
    fresh = Case.objects.values("first_response_at", "late_by", "response_time").get(pk=case.pk)
    for field, value in fresh.items():
        setattr(case, field, value)
    return bool(updated)


def remaining(case: Any, now: dt.datetime, calendar: Any = None) -> dt.timedelta | None:
    """Office time left until the case's due time (negative when overdue), None without one."""
    if case.due_at is None:
        return None
    return sla_rules.remaining(calendar or office_hours(), case.due_at, now, case.sla_paused_since)


def at_risk_threshold(now: dt.datetime, calendar: Any = None) -> dt.datetime:
    """The moment ``AT_RISK_WITHIN`` working time after ``now``: due before it is at risk."""
    return (calendar or office_hours()).add(now, AT_RISK_WITHIN)


@dataclass(frozen=True)
class TargetRow:
    """One case on the "at risk" list with its working time left (negative: overdue)."""

    case: Any
    remaining: dt.timedelta
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.remaining < dt.timedelta()

    @property
    def at_risk(self) -> bool:
        return not self.paused and self.remaining <= AT_RISK_WITHIN


def target_rows(cases: Iterable[Any], now: dt.datetime) -> list[TargetRow]:
    """The cases with their remaining working time, computed without any query."""
    calendar = office_hours()
    return [
        TargetRow(
            case=case,
            remaining=sla_rules.remaining(calendar, case.due_at, now, case.sla_paused_since),
            paused=case.sla_paused_since is not None,
        )
        for case in cases
    ]


def working_time_words(value: dt.timedelta) -> str:
    """The time left until a due moment in words: ``"2 h 05 min left"``, ``"1 h 30 min late"``."""
    return time_left_words(value)


# --- Urgency -------------------------------------------------------------------------------------


def urgency_words() -> list[str]:
    """The words that make a mail urgent: the active ones that managers configured.

    The migration creates the defaults ("spoed", "urgent"); without any active
    word, only staff make a mail urgent.
    """
    return _kept_or(
        "urgency",
        lambda: list(UrgencyKeyword.objects.filter(active=True).values_list("word", flat=True)),
    )


def subject_is_urgent(subject: str) -> bool:
    """Whether a mail with this subject is urgent by the configured rule (whole words)."""
    return sla_rules.subject_is_urgent(subject, urgency_words())
