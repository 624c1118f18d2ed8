"""SLA outcomes of cases, as SQL: the rule, the counts per outcome and their on-time share.

A case's SLA outcome is *on time* when its first answer came within the target, *late* when
after it, *breached* when it has no answer yet and its due time has passed at the moment of the
report, *pending* before that (or when it has no due time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Count, Q, Value, When

ZERO = dt.timedelta(0)


class Outcome:
    """The SLA outcome of one case, as stored values."""

    ON_TIME = "on_time"
    LATE = "late"
    BREACHED = "breached"
    PENDING = "pending"


def outcome_expression(now: dt.datetime) -> CaseWhen:
    """SQL for a case's SLA outcome at ``now`` (see the module docstring)."""
    return CaseWhen(
        When(first_response_at__isnull=False, late_by=ZERO, then=Value(Outcome.ON_TIME)),
        When(first_response_at__isnull=False, late_by__gt=ZERO, then=Value(Outcome.LATE)),
        When(first_response_at__isnull=True, due_at__lt=now, then=Value(Outcome.BREACHED)),
        default=Value(Outcome.PENDING),
    )


OUTCOME_FIELDS = ("total", "on_time", "late", "breached", "pending")


def outcome_counts(now: dt.datetime) -> dict[str, Count]:
    """SQL aggregates counting the cases of a group per outcome at ``now`` (and in total)."""
    return {
        "total": Count("id"),
        "on_time": Count("id", filter=Q(first_response_at__isnull=False, late_by=ZERO)),
        "late": Count("id", filter=Q(first_response_at__isnull=False, late_by__gt=ZERO)),
        "breached": Count("id", filter=Q(first_response_at__isnull=True, due_at__lt=now)),
        "pending": Count(
            "id",
            filter=Q(first_response_at__isnull=True)
            & (Q(due_at__gte=now) | Q(due_at__isnull=True)),
        ),
    }


class Percent(float):
    """A share in percent (shown with a % sign; plain floats are shown as numbers)."""


def share(part: int, whole: int) -> Percent | None:
    """``part`` as a percentage of ``whole``, or None when there is nothing to share."""
    return None if whole == 0 else Percent(round(100 * part / whole, 1))


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    total: int
    on_time: int
    late: int
    breached: int
    pending: int

    @property
    def decided(self) -> int:
        """Cases whose outcome is known: answered, or past their target unanswered."""
        return self.on_time + self.late + self.breached

    @property
    def on_time_share(self) -> float | None:
        """On time as a share of the decided cases: pending cases count neither way."""
        return share(self.on_time, self.decided)
