"""Storing a received message before anything else happens to it.

The raw bytes and their SHA-256 are committed in their own transaction, so a
crash while parsing or processing can never take the message with it. The same
message delivered twice is refused by the database's unique constraints, so two
deliveries racing each other still store it once. "The same" means the same
delivery id of the mail service, or the same Message-ID *and* the same bytes (the
same bytes when there is no Message-ID). A different message that reuses an
earlier Message-ID (a broken mailer, or someone forging a reply) is stored as a
message of its own, marked so that threading does not trust its id.

Sender and subject are glanced at when storing, so the "unprocessed mail" list
can say what is waiting even before the message has been parsed.
"""

from __future__ import annotations

import datetime as dt
import email.parser
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.intake.parsing import PARSING_POLICY, scan_message_id, storable
from cases.models import InboundMessage


@dataclass(frozen=True)
class Stored:
    message: InboundMessage
    duplicate: bool


def _existing(
    *, message_id: str, sha256: str, content: str, source: str, esp_event_id: str
) -> tuple[InboundMessage | None, bool]:
    """(the message already kept, whether ``message_id`` is already used).

    One indexed look-up of a few columns (nearly every message is new): the delivery id
    of the mail service, the Message-ID (or, without one, the bytes).
    """
    same = Q(message_id=message_id) if message_id else Q(message_id="", raw_sha256=sha256)
    if esp_event_id:
        same |= Q(source=source, esp_event_id=esp_event_id)
    rows = list(
        InboundMessage.objects.filter(same)
        .order_by("-received_at", "-pk")
        .values_list("pk", "source", "esp_event_id", "message_id", "content_sha256")
    )
    pk = None
    if esp_event_id:
        pk = next((r[0] for r in rows if (r[1], r[2]) == (source, esp_event_id)), None)
    if pk is None and message_id:
        pk = next((r[0] for r in rows if (r[3], r[4]) == (message_id, content)), None)
    elif pk is None:
        pk = next((r[0] for r in rows if r[3] == ""), None)
    reused = bool(message_id) and any(r[3] == message_id for r in rows)
    if pk is None:
        return None, reused
    return InboundMessage.objects.defer("raw").select_related("case").get(pk=pk), reused


def inbound_store(
    *,
    raw: bytes,
    source: str,
    esp_event_id: str = "",
    envelope_sender: str = "",
    envelope_recipient: str = "",
    received_at: dt.datetime | None = None,
) -> Stored:
    """Keep ``raw`` exactly as received, unless this very message is already kept.

    Only the Message-ID is read here, by a scan of the header block that cannot
    fail; everything else is parsed later, from the stored copy.
    """
    sha256 = hashlib.sha256(raw).hexdigest()
    content = content_digest(raw)
    message_id = scan_message_id(raw)
    esp_event_id = storable(esp_event_id or "")[:200]
    lookup = {
        "message_id": message_id,
        "sha256": sha256,
        "content": content,
        "source": source,
        "esp_event_id": esp_event_id,
    }
    existing, reused = _existing(**lookup)
    if existing is not None:
        return Stored(existing, duplicate=True)
    from_address, subject = glance(raw)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                received_at=received_at or timezone.now(),
                source=storable(source)[:60],
                esp_event_id=esp_event_id,
                raw=raw,
                raw_sha256=sha256,
                content_sha256=content,
                size=len(raw),
                message_id=message_id,
                message_id_reused=reused,
                from_address=from_address,
                subject=subject,
                envelope_sender=storable(envelope_sender or "")[:320],
                envelope_recipient=storable(envelope_recipient or "")[:320],
            )
    except IntegrityError:
        # Another delivery of the same message won the race.
        existing, _reused = _existing(**lookup)
        if existing is None:
            raise
        return Stored(existing, duplicate=True)
    return Stored(message, duplicate=False)


#: How much of a message is read for the glance: the header block of any real mail.
GLANCE_BYTES = 64 * 1024
_HEADERS = email.parser.BytesHeaderParser(policy=PARSING_POLICY)


def glance(raw: bytes) -> tuple[str, str]:
    """(sender address, subject) from the header block, or empty strings.

    Only for showing what waits to be processed: processing parses the message
    properly and overwrites both. Any header this cannot read gives "".
    """
    try:
        headers = _HEADERS.parsebytes(raw[:GLANCE_BYTES])
    except Exception:
        return "", ""
    address = subject = ""
    try:
        senders = headers["From"].addresses if headers["From"] is not None else ()
        if len(senders) == 1:
            address = senders[0].addr_spec
    except Exception:
        address = ""
    try:
        subject = str(headers["Subject"] or "")
    except Exception:
        subject = ""
    return storable(address)[:320], " ".join(storable(subject).split())[:500]


#: Header fields that relays and mailbox servers add on the way; they say how a
#: message travelled, not what it is.
TRACE_FIELDS = frozenset(
    {
        b"received",
        b"return-path",
        b"delivered-to",
        b"x-original-to",
        b"x-received",
        b"authentication-results",
        b"arc-seal",
        b"arc-message-signature",
        b"arc-authentication-results",
        b"received-spf",
        b"x-forwarded-to",
        b"x-forwarded-for",
    }
)


def content_digest(raw: bytes) -> str:
    """SHA-256 of ``raw`` without its trace headers, with line endings made uniform.

    Tolerant of anything: header lines are split by hand (a continuation line
    belongs to the field before it), so a damaged header block still gives a
    digest. The same message delivered through two routes gives one digest; a
    different message with a reused Message-ID gives another.
    """
    data = raw.replace(b"\r\n", b"\n")
    head, sep, body = data.partition(b"\n\n")
    kept: list[bytes] = []
    keep = True
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if keep:
                kept.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        keep = name not in TRACE_FIELDS
        if keep:
            kept.append(line)
    digest = hashlib.sha256(b"\n".join(kept))
    digest.update(sep + body)
    return digest.hexdigest()
