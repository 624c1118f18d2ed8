"""Storing a received message before anything else happens to it.

The raw bytes and their SHA-256 are committed in their own transaction, so a
crash while parsing or processing can never take the message with it. The same
message delivered twice (the same Message-ID, or without one the same bytes, or
the same delivery id of the mail service) is refused by the database's unique
constraints, so two deliveries racing each other still store it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.intake.parsing import scan_message_id, storable
from cases.models import InboundMessage


@dataclass(frozen=True)
class Stored:
    message: InboundMessage
    duplicate: bool


def _existing(
    *, message_id: str, sha256: str, source: str, esp_event_id: str
) -> InboundMessage | None:
    # A cheap look-up of the id first: nearly every message is new.
    ids = InboundMessage.objects.values_list("pk", flat=True)
    pk = None
    if esp_event_id:
        pk = ids.filter(source=source, esp_event_id=esp_event_id).first()
    if pk is None and message_id:
        pk = ids.filter(message_id=message_id).first()
    elif pk is None:
        pk = ids.filter(message_id="", raw_sha256=sha256).first()
    if pk is None:
        return None
    return InboundMessage.objects.defer("raw").select_related("case").get(pk=pk)


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
    message_id = scan_message_id(raw)
    esp_event_id = storable(esp_event_id or "")[:200]
    lookup = {
        "message_id": message_id,
        "sha256": sha256,
        "source": source,
        "esp_event_id": esp_event_id,
    }
    existing = _existing(**lookup)
    if existing is not None:
        return Stored(existing, duplicate=True)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                received_at=received_at or timezone.now(),
                source=storable(source)[:60],
                esp_event_id=esp_event_id,
                raw=raw,
                raw_sha256=sha256,
                size=len(raw),
                message_id=message_id,
                envelope_sender=storable(envelope_sender or "")[:320],
                envelope_recipient=storable(envelope_recipient or "")[:320],
            )
    except IntegrityError:
        # Another delivery of the same message won the race.
        existing = _existing(**lookup)
        if existing is None:
            raise
        return Stored(existing, duplicate=True)
    return Stored(message, duplicate=False)
