"""The arithmetic of the first-answer target, on any business calendar.

Pure functions: no database, no settings, no clock. The helpdesk's promise is
counted in *working time* on a calendar (``calendars.configured.office_hours()``):
"one working day" is one full office day of open time (8 hours on the default
09:00–17:00 schedule), so an urgent mail received on Tuesday at 10:15 is due on
Wednesday at 10:15, and one received on Friday at 16:00 is due on Monday at 16:00.

Every instant here is an aware datetime; the calendar does its arithmetic in
UTC with openings built in its own zone, so DST never shifts a target.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Protocol

ZERO = dt.timedelta()


class WorkingCalendar(Protocol):
    """What these rules need of a calendar (``calendars.business_calendar.BusinessCalendar``)."""

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime: ...

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta: ...


def due_at(
    calendar: WorkingCalendar, received_at: dt.datetime, target: dt.timedelta
) -> dt.datetime:
    """The moment ``target`` working time after ``received_at`` has passed.

    A message received outside opening hours starts counting at the next
    opening; a target that runs out exactly at closing time is due at closing
    time, not at the next opening.
    """
    return calendar.add(received_at, target)


def moved_due_at(
    calendar: WorkingCalendar,
    due: dt.datetime,
    paused_since: dt.datetime,
    resumed_at: dt.datetime,
) -> tuple[dt.datetime, dt.timedelta]:
    """The due time after a pause, and the working time the pause took.

    While a case waits on the customer the clock stands still: the due time
    moves by the *open* time spent waiting, so a pause from Friday 16:00 to
    Monday 10:00 moves it by two hours, not by a weekend.
    """
    waited = calendar.elapsed(paused_since, resumed_at) if resumed_at > paused_since else ZERO
    if waited <= ZERO:
        return due, ZERO
    return calendar.add(due, waited), waited


def late_by(
    calendar: WorkingCalendar,
    due: dt.datetime,
    responded_at: dt.datetime,
    paused_since: dt.datetime | None = None,
) -> dt.timedelta:
    """How much working time after the due time the first answer came (zero when on time).

    When the case is paused at the moment of the answer, the clock stopped at
    the pause, so only the working time up to the pause can count as late.
    """
    clock_stopped_at = responded_at
    if paused_since is not None and paused_since < responded_at:
        clock_stopped_at = paused_since
    if clock_stopped_at <= due:
        return ZERO
    return calendar.elapsed(due, clock_stopped_at)


def remaining(
    calendar: WorkingCalendar,
    due: dt.datetime,
    now: dt.datetime,
    paused_since: dt.datetime | None = None,
) -> dt.timedelta:
    """Working time left until the due time; negative when overdue.

    A paused case shows the time that was left when it was paused: its clock
    does not run while it waits on the customer.
    """
    if paused_since is not None and paused_since < now:
        now = paused_since
    if now <= due:
        return calendar.elapsed(now, due)
    return -calendar.elapsed(due, now)


def _word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(re.escape(w) for w in cleaned)
    # Whole words only: "spoed" and "SPOED:" match, "urgentie" and "spoedcursus" do not.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def subject_is_urgent(subject: str, words: Iterable[str]) -> bool:
    """Whether the subject contains one of ``words`` as a whole word, in any case.

    Priority headers set by the sender (X-Priority, Importance, Priority) are
    deliberately not part of this rule: anyone can set them, and many mail
    programs set them on every message.
    """
    pattern = _word_pattern(words)
    return bool(pattern and pattern.search(subject or ""))
