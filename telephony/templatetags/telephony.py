"""Template filters of telephony."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def call_length(duration: dt.timedelta | None) -> str:
    """A call's duration as minutes and seconds, ``4:05`` (hours as ``1:02:03``)."""
    seconds = int(duration.total_seconds()) if duration else 0
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
