"""What processing writes onto a stored message: its parsed fields, its attachments
(up to the per-message limit), and whether it is our own mail coming back.

Helpers of ``cases.intake.email``'s processing, which runs them in its transaction.
"""

from __future__ import annotations

from django.conf import settings

from cases.intake.parsing import ParsedMail, automatic_reason, is_bounce
from cases.models import InboundMessage, MailAttachment

#: What processing writes (never the raw bytes, which may be megabytes).
PROCESSED_FIELDS = [
    "from_address",
    "from_name",
    "to",
    "cc",
    "subject",
    "sent_at",
    "in_reply_to",
    "references",
    "priority_header",
    "text_body",
    "html_body",
    "automatic_reason",
    "is_bounce",
    "dropped_attachments",
    "error",
    "case",
    "related_case",
    "contact",
    "outcome",
    "processed_at",
    "status",
]


def message_fill(message: InboundMessage, mail: ParsedMail) -> None:
    message.from_address = mail.from_address[:320]
    message.from_name = mail.from_name[:200]
    message.to = ", ".join(mail.to)
    message.cc = ", ".join(mail.cc)
    message.subject = mail.subject
    message.sent_at = mail.sent_at
    message.in_reply_to = " ".join(f"<{m}>" for m in mail.in_reply_to)
    message.references = " ".join(f"<{m}>" for m in mail.references)
    message.priority_header = mail.priority_header
    message.text_body = mail.text
    message.html_body = mail.html
    message.automatic_reason = automatic_reason(mail)
    message.is_bounce = is_bounce(mail)


def attachments_store(message: InboundMessage, mail: ParsedMail) -> None:
    """Keep attachments up to the per-message limit; name what is left out.

    The limit is on the sum per message (default 25 MB): over it, the message,
    its headers and text are kept, and the case shows which files were dropped.
    """
    limit = settings.MAIL_MAX_ATTACHMENT_BYTES
    if message.attempts > 1:
        message.attachments.all().delete()  # left by an earlier attempt
    kept: list[MailAttachment] = []
    dropped: list[str] = []
    total = 0
    for attachment in mail.attachments:
        if total + attachment.size > limit:
            dropped.append(f"{attachment.filename} ({attachment.size} bytes)")
            continue
        total += attachment.size
        kept.append(
            MailAttachment(
                message=message,
                filename=attachment.filename,
                content_type=attachment.content_type[:255],
                size=attachment.size,
                content=attachment.content,
                inline=attachment.inline,
            )
        )
    MailAttachment.objects.bulk_create(kept)
    message.dropped_attachments = "\n".join(dropped)


def loop_reason(mail: ParsedMail, sender: str) -> str:
    """Our own mail coming back: it carries our loop header, or comes from our address."""
    ours = settings.MAIL_LOOP_ID
    for value in mail.headers.get(settings.MAIL_LOOP_HEADER.lower(), []):
        if value.strip() == ours:
            return f"{settings.MAIL_LOOP_HEADER}: {ours}"
    if sender and sender.lower() in {a.lower() for a in settings.MAIL_HELPDESK_ADDRESSES}:
        return f"sent from the helpdesk's own address {sender}"
    return ""
