"""Reading headers: Message-IDs, addresses and the date, each tolerant of what mailers send."""

from __future__ import annotations

import datetime as dt
import re
from email import policy
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from cases.intake.parsing.text import decode_header_text, storable

_MSGID = re.compile(r"<([^<>\s]+)>")
_HEADER_MSGID = re.compile(
    rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE
)


def message_ids(value: str | None) -> list[str]:
    """Message-IDs (without angle brackets) in a header such as References."""
    if not value:
        return []
    found = _MSGID.findall(value)
    if not found and value.strip() and " " not in value.strip():
        found = [value.strip().strip("<>")]
    return [mid[:500] for mid in found]


def scan_message_id(raw: bytes) -> str:
    """The Message-ID from the header block only, tolerant of anything after it.

    Used when storing, before the message is parsed: it looks at nothing but the
    header block, so it cannot fail on a broken body.
    """
    head_end = len(raw)
    for separator in (b"\r\n\r\n", b"\n\n"):
        pos = raw.find(separator)
        if pos != -1:
            head_end = min(head_end, pos)
    match = _HEADER_MSGID.search(raw[:head_end])
    if not match:
        return ""
    value = match.group(1).decode("ascii", errors="replace")
    ids = message_ids(value)
    return storable(ids[0]) if ids else ""


#: Characters a display name must never carry into an address or an outgoing header.
_NAME_FORBIDDEN = re.compile(r"[\r\n\t<>,;@\"\x00]+")
_ADDRESS_FORBIDDEN = re.compile(r"[\s<>,;\"\\\x00()\[\]]")


def display_name(name: str) -> str:
    """A decoded display name made harmless: no line breaks, brackets, commas or @.

    A name such as ``Jan <jan@example.nl>,`` (smuggled in an encoded word) or
    ``Evil\r\nBcc: x@y`` keeps its words and loses what could pass for an address
    or start a new header line.
    """
    return " ".join(_NAME_FORBIDDEN.sub(" ", name or "").split())[:200]


def addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) pairs from address headers; groups, ``<>`` and bare names dropped.

    The header is split into addresses *before* anything is decoded (the email
    package's structured header, with a plain split of the undecoded text as the
    fallback), so an RFC 2047 encoded word can only ever be a display name: its
    decoded text never becomes an address, however it is written.
    """
    result = []
    for value in values:
        for name, address in _split(value):
            address = address.strip()
            if not address or _ADDRESS_FORBIDDEN.search(address) or address.count("@") != 1:
                continue
            local, _, domain = address.partition("@")
            if not local or "." not in domain or "=?" in address or "?=" in address:
                continue
            result.append((display_name(name), f"{local}@{domain.lower()}"))
    return result


def _split(value: str) -> list[tuple[str, str]]:
    try:
        header = policy.default.header_factory("to", value)
        return [(a.display_name, a.addr_spec) for a in header.addresses]
    except Exception:
        pass
    try:
        # Split the undecoded text, then decode each display name on its own.
        return [(decode_header_text(n), a) for n, a in getaddresses([value])]
    except Exception:
        return []


def headers_of(msg: Message) -> dict[str, list[str]]:
    """Every header as written, by lower-cased name, repeated ones in order."""
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(str(name).lower(), []).append(str(value))
    return headers


def header_date(value: str | None) -> dt.datetime | None:
    """The Date header in UTC; None when missing, unreadable or without a time zone."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(decode_header_text(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed.astimezone(dt.UTC)
