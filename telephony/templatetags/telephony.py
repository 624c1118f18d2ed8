"""Template filters of telephony."""

from __future__ import annotations

import datetime as dt

from django import template

from telephony.polling import poll_token as _poll_token

register = template.Library()


@register.filter
def call_length(duration: dt.timedelta | None) -> str:
    """A call's duration as minutes and seconds, ``4:05`` (hours as ``1:02:03``)."""
    seconds = int(duration.total_seconds()) if duration else 0
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.simple_tag(takes_context=True)
def poll_token(context) -> str:
    """A poll token for the signed-in user of the page (``telephony.polling``)."""
    return _poll_token(context["request"].user.pk)
