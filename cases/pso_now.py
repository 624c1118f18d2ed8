"""Which PSO status is in force on a day, and over which days that answer holds (pure).

An organisation's status on a day follows from its history: a record is in force
from its ``effective_from`` up to and including its ``valid_until`` (open-ended
when empty), and of overlapping records the one that took effect last wins (the
latest ``effective_from``, then the latest record). That answer can only change
on a day a record starts or the day after one ends, so between two such days it
stays the same: ``PsoNow.since`` and ``PsoNow.through`` give that stretch. The
organisation keeps the answer with its stretch (``Organisation.pso_level_now``),
and a list may use the kept answer on any day inside the stretch; outside it,
the answer is worked out again from the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

#: The first day there is: the stretch of an answer no record has changed yet.
BEGINNING = dt.date(1, 1, 1)
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StatusRecord:
    """What the rule needs of one ``PsoStatus`` row."""

    pk: int
    level: str
    effective_from: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True)
class PsoNow:
    """The status in force on a day (``level`` None: none), and the days that holds on."""

    level: str | None
    valid_until: dt.date | None
    since: dt.date
    #: The last day the answer holds; None: until a record is added or changed.
    through: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.through is None or day <= self.through)


def in_force(records: Iterable[StatusRecord], day: dt.date) -> StatusRecord | None:
    """The record in force on ``day``: of those covering it, the one that took effect last."""
    covering = [
        r
        for r in records
        if r.effective_from <= day and (r.valid_until is None or day <= r.valid_until)
    ]
    return max(covering, key=lambda r: (r.effective_from, r.pk), default=None)


def pso_now(records: Iterable[StatusRecord], day: dt.date) -> PsoNow:
    """The status in force on ``day`` and the stretch of days around it with the same answer.

    The answer can change only where some record starts (its ``effective_from``)
    or the day after one ends (``valid_until`` + 1 day); the stretch runs from the
    last such day on or before ``day`` to the day before the next one after it.
    """
    records = list(records)
    current = in_force(records, day)
    changes = {r.effective_from for r in records}
    changes |= {
        r.valid_until + _DAY
        for r in records
        if r.valid_until is not None and r.valid_until < dt.date.max
    }
    earlier = [d for d in changes if d <= day]
    later = [d for d in changes if d > day]
    return PsoNow(
        level=current.level if current else None,
        valid_until=current.valid_until if current else None,
        since=max(earlier, default=BEGINNING),
        through=min(later) - _DAY if later else None,
    )
