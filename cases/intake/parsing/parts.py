"""The parts of a message: which are attachments, their names, and the bytes and text of each."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.message import Message

from cases.intake.parsing.text import decode_bytes, decode_header_text

#: Parts kept as attachments even without a Content-Disposition: a forwarded
#: message, a delivery report, and Outlook's TNEF container (winmail.dat).
_ALWAYS_ATTACHMENT_TYPES = {
    "message/rfc822",
    "message/delivery-status",
    "message/global",
    "message/global-delivery-status",
    "message/disposition-notification",
    "text/rfc822-headers",
    "application/ms-tnef",
    "application/vnd.ms-tnef",
}
_DEFAULT_NAMES = {
    "message/rfc822": "forwarded-message.eml",
    "message/global": "forwarded-message.eml",
    "message/delivery-status": "delivery-status.txt",
    "message/global-delivery-status": "delivery-status.txt",
    "message/disposition-notification": "read-receipt.txt",
    "text/rfc822-headers": "returned-headers.txt",
    "application/ms-tnef": "winmail.dat",
    "application/vnd.ms-tnef": "winmail.dat",
}


def part_bytes(part: Message) -> bytes:
    """The decoded content of a leaf part; for message/* parts, the enclosed message."""
    if part.get_content_maintype() == "message" or part.get_content_type() == "text/rfc822-headers":
        try:
            whole = part.as_bytes(policy=policy.compat32)
        except Exception:
            whole = str(part).encode("utf-8", errors="surrogateescape")
        for separator in (b"\r\n\r\n", b"\n\n"):
            pos = whole.find(separator)
            if pos != -1:
                return whole[pos + len(separator) :]
        return whole
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            return raw.encode("utf-8", errors="surrogateescape")
        return b""
    return payload


def part_filename(part: Message, content_type: str, index: int) -> str:
    """A safe file name: the last path segment, printable, at most 200 characters.

    A part without one is named for its type (``winmail.dat``) or its position.
    """
    try:
        name = part.get_filename()
    except Exception:
        name = None
    name = safe_filename(decode_header_text(name) if name else "")
    return name or _DEFAULT_NAMES.get(content_type, f"attachment-{index}")


def safe_filename(name: str) -> str:
    """The last path segment of ``name``, printable, at most 200 characters ("" if none is left).

    The same rule for a file from a mail and one uploaded on the public page.
    """
    name = re.split(r"[\\/]", name or "")[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip().strip(".")[:200]


def is_attachment(part: Message, content_type: str) -> bool:
    """An attachment: a type always kept as one, a part marked so or named, or inline non-text."""
    if content_type in _ALWAYS_ATTACHMENT_TYPES:
        return True
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    if disposition == "attachment":
        return True
    try:
        has_name = bool(part.get_filename())
    except Exception:
        has_name = False
    return has_name or (disposition == "inline" and not content_type.startswith("text/"))


def leaf_parts(part: Message) -> Iterator[Message]:
    """Leaf parts in order, not descending into enclosed messages (those are attachments)."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        payload = part.get_payload()
        for child in payload if isinstance(payload, list) else []:
            yield from leaf_parts(child)
    else:
        yield part


def content_type_of(part: Message) -> str:
    """The part's content type; application/octet-stream when its header is unreadable."""
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def part_text(part: Message) -> str:
    """The text of a part in its (likely) charset, with Unix line ends."""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(part_bytes(part), charset)
    return re.sub(r"\r\n|\r", "\n", text)
