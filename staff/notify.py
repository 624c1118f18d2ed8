"""Mail from the helpdesk to its own people: digests, warnings and reports.

One way to build it, so every such mail is marked as sent by a machine
(``Auto-Submitted: auto-generated``, RFC 3834, and Exchange's
``X-Auto-Response-Suppress``) and carries the helpdesk's loop header: an
out-of-office reply to it is never answered, and if it comes back to the
helpdesk's own mailbox, intake recognises it as our own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection


def staff_mail_headers() -> dict[str, str]:
    """The headers every mail to staff carries."""
    return {
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        settings.MAIL_LOOP_HEADER: settings.MAIL_LOOP_ID,
    }


def staff_mail_send(*, to: Iterable[str], subject: str, text: str, html: str | None = None) -> int:
    """Send one mail to each address in ``to``; returns how many the backend accepted.

    Each address gets its own message, so no one sees who else received it.
    """
    messages = []
    for address in to:
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=text,
            to=[address],
            headers=staff_mail_headers(),
        )
        if html:
            message.attach_alternative(html, "text/html")
        messages.append(message)
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
