"""Template filters for showing mail: quoted history folded, the reply's quote."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from cases.intake import quoting

register = template.Library()


@register.filter
def split_quoted(text: str) -> tuple[str, str]:
    """``(own, quoted)`` of a message text (see ``cases.intake.quoting.split_quoted``)."""
    return quoting.split_quoted(text or "")


@register.filter
def last_received(timeline: Iterable[Any]) -> Any:
    """The latest received message among the timeline's entries, or None."""
    received = [e.inbound for e in timeline or () if getattr(e, "kind", None) == "mail_in"]
    return max(received, key=lambda m: (m.received_at, m.pk), default=None)


@register.filter
def reply_quote(message: Any) -> str:
    """The quote a reply to ``message`` carries below its own text."""
    if message is None:
        return ""
    sender = message.from_name or message.from_address
    return quoting.reply_quote(sender, message.text_body).strip("\n")
