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
import functools
import hashlib
import operator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.intake.parsing import PARSING_POLICY, scan_message_id, storable
from cases.models import InboundMessage


@dataclass(frozen=True)
class Stored:
    message: InboundMessage
    duplicate: bool


@dataclass(frozen=True)
class Delivery:
    """One received message with what its channel says about it: ``inbound_store``'s
    arguments, for storing a batch with ``inbound_store_many``."""

    raw: bytes
    source: str
    esp_event_id: str = ""
    envelope_sender: str = ""
    envelope_recipient: str = ""
    received_at: dt.datetime | None = None


@dataclass(frozen=True)
class _Keys:
    """What tells one message from another: the delivery id, the Message-ID, the bytes."""

    message_id: str
    sha256: str
    content: str
    source: str
    esp_event_id: str

    def same(self) -> Q:
        """The rows that may be this message (or share its Message-ID), one indexed look-up."""
        if self.message_id:
            same = Q(message_id=self.message_id)
        else:
            same = Q(message_id="", raw_sha256=self.sha256)
        if self.esp_event_id:
            same |= Q(source=self.source, esp_event_id=self.esp_event_id)
        return same


def _keys(raw: bytes, source: str, esp_event_id: str) -> _Keys:
    return _Keys(
        message_id=scan_message_id(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        content=content_digest(raw),
        source=source,
        esp_event_id=storable(esp_event_id or "")[:200],
    )


#: (pk, or the message stored earlier in the same batch; source, delivery id, Message-ID,
#: content digest, SHA-256 of the bytes), the most recent first.
_Row = tuple[Any, str, str, str, str, str]


def _rows(same: Q) -> list[_Row]:
    return list(
        InboundMessage.objects.filter(same)
        .order_by("-received_at", "-pk")
        .values_list("pk", "source", "esp_event_id", "message_id", "content_sha256", "raw_sha256")
    )


def _match(rows: list[_Row], keys: _Keys) -> tuple[Any, bool]:
    """(the row already kept that is this message, or None; whether its Message-ID is
    already used). The same delivery id of the service first, then the same Message-ID
    with the same content, or without a Message-ID the same bytes."""
    found = None
    if keys.esp_event_id:
        found = next((r[0] for r in rows if (r[1], r[2]) == (keys.source, keys.esp_event_id)), None)
    if found is None and keys.message_id:
        found = next((r[0] for r in rows if (r[3], r[4]) == (keys.message_id, keys.content)), None)
    elif found is None:
        found = next((r[0] for r in rows if (r[3], r[5]) == ("", keys.sha256)), None)
    reused = bool(keys.message_id) and any(r[3] == keys.message_id for r in rows)
    return found, reused


def _kept(pk: int) -> InboundMessage:
    return InboundMessage.objects.defer("raw").select_related("case").get(pk=pk)


def _message(delivery: Delivery, keys: _Keys, reused: bool) -> InboundMessage:
    """The row for a message not kept yet (glancing at its sender and subject)."""
    raw = delivery.raw
    from_address, subject = glance(raw)
    return InboundMessage(
        received_at=delivery.received_at or timezone.now(),
        source=storable(delivery.source)[:60],
        esp_event_id=keys.esp_event_id,
        raw=raw,
        raw_sha256=keys.sha256,
        content_sha256=keys.content,
        size=len(raw),
        message_id=keys.message_id,
        message_id_reused=reused,
        from_address=from_address,
        subject=subject,
        envelope_sender=storable(delivery.envelope_sender or "")[:320],
        envelope_recipient=storable(delivery.envelope_recipient or "")[:320],
    )


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
    delivery = Delivery(raw, source, esp_event_id, envelope_sender, envelope_recipient, received_at)
    del raw
    return _store_one(delivery)


def _store_one(delivery: Delivery) -> Stored:
    keys = _keys(delivery.raw, delivery.source, delivery.esp_event_id)
    pk, reused = _match(_rows(keys.same()), keys)
    if pk is not None:
        return Stored(_kept(pk), duplicate=True)
    message = _message(delivery, keys, reused)
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        # Another delivery of the same message won the race.
        pk, _reused = _match(_rows(keys.same()), keys)
        if pk is None:
            raise
        return Stored(_kept(pk), duplicate=True)
    return Stored(message, duplicate=False)


def inbound_store_many(deliveries: list[Delivery]) -> list[Stored]:
    """Store a batch (a poll's fetch, a folder of files) in order, as ``inbound_store``
    stores each, with one look-up for the whole batch and one insert in one commit.

    A message kept before, or earlier in this batch, is a duplicate (of that message);
    a Message-ID used before or earlier in the batch is marked reused. Should the insert
    meet a message that another delivery stored meanwhile, the batch is stored one by
    one instead, which settles each race as ``inbound_store`` does.
    """
    keys = [_keys(d.raw, d.source, d.esp_event_id) for d in deliveries]
    if not keys:
        return []
    rows = _rows(functools.reduce(operator.or_, (k.same() for k in keys)))
    new: list[InboundMessage] = []
    found: list[Any] = []  # a kept row's pk, or a message new in this batch
    for delivery, key in zip(deliveries, keys, strict=True):
        earlier: list[_Row] = [
            (m, m.source, m.esp_event_id, m.message_id, m.content_sha256, m.raw_sha256)
            for m in reversed(new)
        ]
        match, reused = _match(earlier + rows, key)
        if match is None:
            match = _message(delivery, key, reused)
            new.append(match)
        found.append(match)
    try:
        with transaction.atomic():
            InboundMessage.objects.bulk_create(new)
    except IntegrityError:
        return [_store_one(delivery) for delivery in deliveries]
    for message in new:
        del message.raw  # stored; processing reads it back (a deferred field)
    kept = (
        InboundMessage.objects.defer("raw")
        .select_related("case")
        .in_bulk([f for f in found if not isinstance(f, InboundMessage)])
    )
    stored: list[Stored] = []
    seen: set[int] = set()
    for f in found:
        if isinstance(f, InboundMessage):
            stored.append(Stored(f, duplicate=id(f) in seen))
            seen.add(id(f))
        else:
            stored.append(Stored(kept[f], duplicate=True))
    return stored


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
