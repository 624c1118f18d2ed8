"""Template helpers of the first-answer target: working time in words, the dashboard summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from calendars.configured import office_hours
from cases.first_answer import clock as sla
from cases.first_answer.wording import duration_words, time_left_words
from scheduling.selectors import sla_at_risk_counts

register = template.Library()


@register.filter
def working_time(value: dt.timedelta | None) -> str:
    """Time until a due moment: ``"2 h 05 min left"`` or ``"1 h 30 min late"``; empty if none."""
    if value is None:
        return ""
    return time_left_words(value)


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A stretch of working time: ``"2 h 05 min"``; empty without a value."""
    if value is None:
        return ""
    return duration_words(value)


@register.inclusion_tag("scheduling/_at_risk_summary.html")
def at_risk_summary() -> dict[str, Any]:
    """The dashboard's count of unanswered cases that are overdue or due soon (one query)."""
    now = timezone.now()
    counts = sla_at_risk_counts(now=now, threshold=sla.at_risk_threshold(now))
    return {
        **counts,
        "warning_hours": int(sla.AT_RISK_WITHIN.total_seconds() // 3600),
    }


@register.simple_tag(takes_context=True)
def time_left(context: template.Context, case: Any) -> SafeString | str:
    """A list row's first-answer clock: "3 h 15 min left", "1 h 20 min late" or "paused since …".

    Only for active cases still waiting for their first answer; empty otherwise.
    The time and the office calendar are taken once per rendered page, so each
    row is pure arithmetic, without queries.
    """
    if case.due_at is None or case.first_response_at is not None or not case.is_active:
        return ""
    if case.sla_paused_since is not None:
        since = formats.date_format(timezone.localtime(case.sla_paused_since), "j M H:i")
        return format_html(
            '<span class="sla-paused">{}</span>', _("paused since %(since)s") % {"since": since}
        )
    cached = context.render_context.get("sla_clock")
    if cached is None:
        cached = context.render_context["sla_clock"] = (timezone.now(), office_hours())
    now, calendar = cached
    left = sla.remaining(case, now, calendar)
    text = time_left_words(left)
    if left < dt.timedelta():
        return format_html('<span class="sla-overdue">{}</span>', text)
    css = "sla-at-risk" if left <= sla.AT_RISK_WITHIN else "sla-left"
    return format_html('<span class="{}">{}</span>', css, text)
