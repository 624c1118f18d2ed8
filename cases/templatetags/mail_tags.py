"""Template filters for showing mail: quoted history folded, the reply's quote."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext as _

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


#: The reasons mail processing stores, as written at the time (for the logs, in
#: English), and how a person reads them in their own language.
_STORED_REASONS = [
    (
        re.compile(r"\Aautomatic message without a case \((?P<detail>.*)\)\Z", re.S),
        lambda: _("An automatic message that belongs to no case (%(detail)s)."),
    ),
    (
        re.compile(r"\Asent from the helpdesk's own address (?P<detail>.*)\Z", re.S),
        lambda: _("Sent from the helpdesk's own address %(detail)s: our own mail came back."),
    ),
    (
        re.compile(r"\A(?P<detail>\w+(?:Error|Exception)\b.*)\Z", re.S),
        lambda: _("Processing failed with a technical error: %(detail)s"),
    ),
]


@register.filter
def mail_reason(stored: str) -> str:
    """Why a message was not processed, in the reader's language where the reason is known."""
    for pattern, words in _STORED_REASONS:
        match = pattern.match(stored or "")
        if match:
            return words() % {"detail": match.group("detail")}
    return stored or ""


#: Why a send failed, by the kind of error the mail library raised.
_SEND_FAILURES = [
    ("SMTPRecipientsRefused", lambda: _("The mail server refused the recipient's address.")),
    ("SMTPSenderRefused", lambda: _("The mail server refused our sender address.")),
    ("SMTPAuthenticationError", lambda: _("The mail server did not accept our sign-in.")),
    ("SMTPServerDisconnected", lambda: _("The mail server hung up before the mail was sent.")),
    ("ConnectionRefusedError", lambda: _("The mail server could not be reached.")),
    ("TimeoutError", lambda: _("The mail server did not answer in time.")),
    ("AnymailRequestsAPIError", lambda: _("The mail service refused the message.")),
]


@register.filter
def send_failure(detail: str) -> str:
    """Why an email was not sent, in plain words; the technical detail stays beside it."""
    kind = (detail or "").split(":", 1)[0].strip()
    for name, words in _SEND_FAILURES:
        if kind == name:
            return words()
    if kind.endswith(("Error", "Exception")):
        return _("The mail could not be handed to the mail server.")
    return detail or ""
