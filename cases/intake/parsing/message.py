"""A whole raw message read into a ``ParsedMail``, field by field with fallbacks."""

from __future__ import annotations

import functools
from email import policy
from email.message import EmailMessage
from email.parser import BytesFeedParser
from email.policy import EmailPolicy
from typing import Any

from cases.intake.parsing.automatic import is_system_sender
from cases.intake.parsing.headers import (
    addresses,
    header_date,
    headers_of,
    message_ids,
    scan_message_id,
)
from cases.intake.parsing.parsed import ParsedAttachment, ParsedMail
from cases.intake.parsing.parts import (
    content_type_of,
    is_attachment,
    leaf_parts,
    part_bytes,
    part_filename,
    part_text,
)
from cases.intake.parsing.text import decode_header_text, storable

#: Bytes fed to the parser at a time: a 20 MB message is never decoded to text in one piece.
_FEED_CHUNK = 1 << 20


@functools.lru_cache(maxsize=4096)
def _header(name: str, value: str) -> Any:
    return policy.default.header_fetch_parse(name, value)


class _KeptHeaderPolicy(EmailPolicy):
    """``policy.default``, with each parsed header kept and handed out again.

    The standard library parses a header anew on every access, and a message's
    Content-Type alone is read five or six times per part (type, charset, filename,
    disposition …); the same values recur from message to message as well. Header
    objects are never changed after parsing, so one can be shared.
    """

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        if hasattr(value, "name") or not isinstance(value, str):
            return super().header_fetch_parse(name, value)
        return _header(name, value)


PARSING_POLICY = _KeptHeaderPolicy()


def _parse_bytes(raw: bytes) -> EmailMessage:
    parser = BytesFeedParser(policy=PARSING_POLICY)
    for start in range(0, len(raw), _FEED_CHUNK):
        parser.feed(raw[start : start + _FEED_CHUNK])
    return parser.close()  # type: ignore[return-value]


def parse_message(raw: bytes, *, envelope_sender: str = "") -> ParsedMail:
    """Everything processing needs from ``raw``, read field by field with fallbacks."""
    msg = _parse_bytes(raw)
    mail = ParsedMail()
    mail.headers = headers_of(msg)
    get = mail.header
    mail.content_type = content_type_of(msg)

    ids = message_ids(get("message-id"))
    mail.message_id = ids[0] if ids else ""
    mail.subject = decode_header_text(get("subject"))
    mail.sent_at = header_date(get("date"))
    mail.in_reply_to = message_ids(get("in-reply-to"))
    mail.references = message_ids(" ".join(mail.headers.get("references", [])))
    mail.priority_header = decode_header_text(
        get("importance") or get("x-priority") or get("priority") or ""
    )[:100]

    senders = addresses(mail.headers.get("from", []))
    if len(senders) > 1:
        # Several authors: the one who sent it is named by Sender (RFC 5322 3.6.2).
        mail.problems.append("several-from-addresses")
        senders = addresses(mail.headers.get("sender", [])) or senders
    if not senders:
        senders = addresses(mail.headers.get("sender", []))
    if senders:
        mail.from_name, mail.from_address = senders[0]
    else:
        # The envelope sender: given by the mail service, or else the
        # Return-Path the delivering MTA wrote.
        envelope = [envelope_sender] if envelope_sender else mail.headers.get("return-path", [])
        fallback = addresses(envelope)
        if fallback:
            mail.from_address = fallback[0][1]
        mail.problems.append("from-header-unusable")
    mail.to = [a for _, a in addresses(mail.headers.get("to", []))]
    mail.cc = [a for _, a in addresses(mail.headers.get("cc", []))]

    index = 0
    for part in leaf_parts(msg):
        content_type = content_type_of(part)
        if is_attachment(part, content_type):
            index += 1
            try:
                inline = part.get_content_disposition() == "inline"
            except Exception:
                inline = False
            mail.attachments.append(
                ParsedAttachment(
                    filename=part_filename(part, content_type, index),
                    content_type=content_type,
                    content=part_bytes(part),
                    inline=inline,
                )
            )
            continue
        if content_type == "text/plain" and not mail.text:
            mail.text = part_text(part)
        elif content_type == "text/html" and not mail.html:
            mail.html = part_text(part)

    if mail.content_type == "multipart/report" or is_system_sender(mail.from_address):
        mail.returned_message_ids = _returned_ids(mail.attachments)
    _make_storable(mail)
    return mail


def _make_storable(mail: ParsedMail) -> None:
    for name in ("message_id", "from_address", "from_name", "subject", "priority_header"):
        setattr(mail, name, storable(getattr(mail, name)))
    mail.text, mail.html = storable(mail.text), storable(mail.html)
    for name in ("to", "cc", "in_reply_to", "references", "returned_message_ids"):
        setattr(mail, name, [v for v in (storable(x) for x in getattr(mail, name)) if v])
    for attachment in mail.attachments:
        attachment.filename = storable(attachment.filename) or "attachment"
        attachment.content_type = storable(attachment.content_type)


def _returned_ids(attachments: list[ParsedAttachment]) -> list[str]:
    found: list[str] = []
    for attachment in attachments:
        if attachment.content_type in {"message/rfc822", "text/rfc822-headers", "message/global"}:
            mid = scan_message_id(attachment.content)
            if mid and mid not in found:
                found.append(mid)
    return found
