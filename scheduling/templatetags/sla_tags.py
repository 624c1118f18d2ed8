"""Template helpers of the first-answer target: working time in words, the dashboard summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from calendars.configured import office_hours
from cases.first_answer import clock as sla
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


@register.filter
def working_clock(value: dt.timedelta | None) -> str:
    """``"3:15"``: hours and minutes of working time, without a sign; empty without a value."""
    if value is None:
        return ""
    minutes = int(abs(value) // dt.timedelta(minutes=1))
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}"


@register.simple_tag(takes_context=True)
def time_left(context: template.Context, case: Any) -> SafeString | str:
    """A list row's first-answer clock: "3:15 left", "1:20 overdue" or "paused".

    Only for active cases still waiting for their first answer; empty otherwise.
    The time and the office calendar are taken once per rendered page, so each
    row is pure arithmetic, without queries.
    """
    if case.due_at is None or case.first_response_at is not None or not case.is_active:
        return ""
    if case.sla_paused_since is not None:
        return format_html('<span class="sla-paused">{}</span>', _("paused"))
    cached = context.render_context.get("sla_clock")
    if cached is None:
        cached = context.render_context["sla_clock"] = (timezone.now(), office_hours())
    now, calendar = cached
    left = sla.remaining(case, now, calendar)
    if left < dt.timedelta():
        text = _("%(time)s overdue") % {"time": working_clock(left)}
        return format_html('<span class="sla-overdue">{}</span>', text)
    text = _("%(time)s left") % {"time": working_clock(left)}
    css = "sla-at-risk" if left <= sla.AT_RISK_WITHIN else "sla-left"
    return format_html('<span class="{}">{}</span>', css, text)
