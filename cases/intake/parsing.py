"""Reading a raw email into what the helpdesk needs, without ever crashing on it.

Real-world mail breaks parsers: RFC 2047 words split in the middle of a
character, charsets Python does not know, bodies in another charset than the
one declared, ``From: <>``, ``To: undisclosed-recipients:;``. Every field here is
read on its own with a fallback, so one bad header costs that header, not the
message. The raw bytes are kept elsewhere; nothing here needs the database.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesFeedParser
from email.utils import getaddresses, parsedate_to_datetime

#: Charsets tried, in order, when the declared one is unknown or wrong.
_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")
#: Single-byte charsets that mail programs often declare for what is really UTF-8.
_OFTEN_MISDECLARED = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "cp1252"}

_MSGID = re.compile(r"<([^<>\s]+)>")
_HEADER_MSGID = re.compile(
    rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE
)

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


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ParsedMail:
    """What processing needs from one message; every field has a safe empty value."""

    message_id: str = ""
    from_address: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    sent_at: dt.datetime | None = None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    priority_header: str = ""
    text: str = ""
    html: str = ""
    content_type: str = "text/plain"
    #: Lower-cased header name → raw values, for the automatic-mail rules.
    headers: dict[str, list[str]] = field(default_factory=dict)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    #: Message-IDs of returned messages found inside a delivery report.
    returned_message_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, the direct parent first."""
        seen: list[str] = []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.append(mid)
        return seen


# --- Text decoding -------------------------------------------------------------------------


def storable(text: str) -> str:
    """``text`` as every database can store it: no NUL characters, no lone surrogates.

    PostgreSQL refuses NUL in text, and no database driver encodes the surrogates
    that stand for undecodable bytes; both occur in real mail.
    """
    return text.replace("\x00", "").encode("utf-8", errors="replace").decode("utf-8")


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip().strip('"').lower()).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from ``data`` in the declared charset, or the most likely one when that fails.

    Declared single-byte charsets are checked against UTF-8 first: bytes that are
    valid UTF-8 with non-ASCII characters are nearly never Latin-1 text.
    """
    declared = _codec(charset)
    if declared and (charset or "").lower() in _OFTEN_MISDECLARED and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (declared, *_FALLBACK_CHARSETS):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1", errors="replace")


def decode_header_text(raw: str | None) -> str:
    """A header value as readable text: RFC 2047 words decoded, whatever their state.

    Adjacent encoded words in the same charset are joined *before* decoding, so a
    multi-byte character split over two words (as some mailers do) survives.
    Raw 8-bit bytes (which the parser keeps as surrogates) are decoded as UTF-8,
    else Windows-1252.
    """
    if raw is None:
        return ""
    raw = str(raw)
    try:
        pieces = decode_header(raw)
    except Exception:
        pieces = [(raw, None)]
    joined: list[tuple[bytes, str | None]] = []
    for piece, charset in pieces:
        if charset is None:
            # Unencoded text: decode_header hands it back as str, or (next to
            # encoded words) as raw-unicode-escape bytes.
            if isinstance(piece, bytes):
                piece = piece.decode("raw-unicode-escape", errors="replace")
            data = piece.encode("utf-8", errors="surrogateescape")
        else:
            data = piece
        if joined and joined[-1][1] == charset:
            joined[-1] = (joined[-1][0] + data, charset)
        else:
            joined.append((data, charset))
    text = "".join(
        decode_bytes(data, charset) if charset else _plain(data) for data, charset in joined
    )
    # Folding whitespace inside a header is not content.
    return " ".join(text.split())


def _plain(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("utf-8", errors="surrogateescape")
        return decode_bytes(raw, None)
    return text


# --- Headers -------------------------------------------------------------------------------


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


def addresses(values: list[str]) -> list[tuple[str, str]]:
    """(name, address) pairs from address headers; groups, ``<>`` and bare names dropped."""
    result = []
    try:
        pairs = getaddresses([decode_header_text(v) for v in values])
    except Exception:
        return []
    for name, address in pairs:
        address = address.strip().strip("<>").strip()
        if "@" not in address or " " in address:
            continue
        local, _, domain = address.rpartition("@")
        if not local or "." not in domain:
            continue
        result.append((name.strip(), f"{local}@{domain.lower()}"))
    return result


def _headers(msg: Message) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(str(name).lower(), []).append(str(value))
    return headers


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(decode_header_text(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed.astimezone(dt.UTC)


# --- Body and attachments -------------------------------------------------------------


def _part_bytes(part: Message) -> bytes:
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


def _filename(part: Message, content_type: str, index: int) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    name = decode_header_text(name) if name else ""
    # Keep only the last path segment, without control characters.
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    if not name:
        name = _DEFAULT_NAMES.get(content_type, f"attachment-{index}")
    return name[:200]


def _is_attachment(part: Message, content_type: str) -> bool:
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


def _leaves(part: Message) -> Iterator[Message]:
    """Leaf parts in order, not descending into enclosed messages (those are attachments)."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        payload = part.get_payload()
        for child in payload if isinstance(payload, list) else []:
            yield from _leaves(child)
    else:
        yield part


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


#: Bytes fed to the parser at a time: a 20 MB message is never decoded to text in one piece.
_FEED_CHUNK = 1 << 20


def _parse_bytes(raw: bytes) -> EmailMessage:
    parser = BytesFeedParser(policy=policy.default)
    for start in range(0, len(raw), _FEED_CHUNK):
        parser.feed(raw[start : start + _FEED_CHUNK])
    return parser.close()  # type: ignore[return-value]


def parse_message(raw: bytes, *, envelope_sender: str = "") -> ParsedMail:
    """Everything processing needs from ``raw``, read field by field with fallbacks."""
    msg = _parse_bytes(raw)
    mail = ParsedMail()
    mail.headers = _headers(msg)
    get = mail.header
    mail.content_type = _content_type(msg)

    ids = message_ids(get("message-id"))
    mail.message_id = ids[0] if ids else ""
    mail.subject = decode_header_text(get("subject"))
    mail.sent_at = _date(get("date"))
    mail.in_reply_to = message_ids(get("in-reply-to"))
    mail.references = message_ids(" ".join(mail.headers.get("references", [])))
    mail.priority_header = decode_header_text(
        get("importance") or get("x-priority") or get("priority") or ""
    )[:100]

    senders = addresses(mail.headers.get("from", []))
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
    for part in _leaves(msg):
        content_type = _content_type(part)
        if _is_attachment(part, content_type):
            index += 1
            try:
                inline = part.get_content_disposition() == "inline"
            except Exception:
                inline = False
            mail.attachments.append(
                ParsedAttachment(
                    filename=_filename(part, content_type, index),
                    content_type=content_type,
                    content=_part_bytes(part),
                    inline=inline,
                )
            )
            continue
        if content_type == "text/plain" and not mail.text:
            mail.text = _text_of(part)
        elif content_type == "text/html" and not mail.html:
            mail.html = _text_of(part)

    if mail.content_type == "multipart/report" or _from_system(mail.from_address):
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


def _text_of(part: Message) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(_part_bytes(part), charset)
    return re.sub(r"\r\n|\r", "\n", text)


def _returned_ids(attachments: list[ParsedAttachment]) -> list[str]:
    found: list[str] = []
    for attachment in attachments:
        if attachment.content_type in {"message/rfc822", "text/rfc822-headers", "message/global"}:
            mid = scan_message_id(attachment.content)
            if mid and mid not in found:
                found.append(mid)
    return found


def _from_system(address: str) -> bool:
    local = address.partition("@")[0].lower()
    return local in {"mailer-daemon", "postmaster"}


# --- Automatic mail --------------------------------------------------------------------


def automatic_reason(mail: ParsedMail) -> str:
    """Why a message was sent by a machine rather than a person, or "" for a person.

    Rule (RFC 3834 and the peers' practice): ``Auto-Submitted`` other than ``no``;
    ``Precedence`` bulk, junk, list or auto_reply; ``X-Autoreply``;
    ``X-Auto-Response-Suppress``; ``List-Id``; an empty ``Return-Path``;
    a ``multipart/report``; or a sender MAILER-DAEMON or postmaster. Such mail
    never gets an acknowledgement and never reopens a case.
    """
    return storable(_automatic_reason(mail))


def _automatic_reason(mail: ParsedMail) -> str:
    auto_submitted = (mail.header("auto-submitted") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"[:100]
    precedence = (mail.header("precedence") or "").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name, label in (
        ("x-autoreply", "X-Autoreply"),
        ("x-autorespond", "X-Autorespond"),
        ("x-auto-response-suppress", "X-Auto-Response-Suppress"),
        ("list-id", "List-Id"),
    ):
        if mail.header(name) is not None:
            return label
    return_paths = mail.headers.get("return-path")
    if return_paths is not None and any(v.strip() in {"", "<>"} for v in return_paths):
        return "Return-Path: <>"
    if mail.content_type == "multipart/report":
        return "multipart/report"
    if _from_system(mail.from_address):
        return mail.from_address.partition("@")[0].upper()
    return ""


def is_bounce(mail: ParsedMail) -> bool:
    """A delivery failure report: a multipart/report or mail from MAILER-DAEMON/postmaster."""
    return mail.content_type == "multipart/report" or _from_system(mail.from_address)
