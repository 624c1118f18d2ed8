"""Template helpers of the first-answer target: working time in words, the dashboard summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from scheduling import sla
from scheduling.selectors import sla_at_risk_counts

register = template.Library()


@register.filter
def working_time(value: dt.timedelta | None) -> str:
    """``"2 h 05 min"`` or ``"−1 h 30 min"`` (overdue); empty without a value."""
    if value is None:
        return ""
    return sla.working_time_words(value)


@register.inclusion_tag("scheduling/_at_risk_summary.html")
def at_risk_summary() -> dict[str, Any]:
    """The dashboard's count of unanswered cases that are overdue or due soon (one query)."""
    now = timezone.now()
    counts = sla_at_risk_counts(now=now, threshold=sla.at_risk_threshold(now))
    return {
        **counts,
        "warning_hours": int(sla.AT_RISK_WITHIN.total_seconds() // 3600),
    }
