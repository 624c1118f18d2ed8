"""Reads about mailboxes and the mail they brought in."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.models import InboundMessage
from mailboxes.models import Mailbox


def mailboxes_active() -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(active=True).order_by("name")


def stored_keys(*, source: str, keys: list[str]) -> set[str]:
    """Which of ``keys`` (delivery ids of ``source``) the intake already keeps."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            InboundMessage.objects.filter(
                source=source, esp_event_id__in=keys[start : start + 500]
            ).values_list("esp_event_id", flat=True)
        )
    return found
