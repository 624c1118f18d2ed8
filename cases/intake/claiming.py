"""Claiming a stored message for processing, and reading it, in one statement.

Processing claims a message with a conditional update (received, failed or set aside →
processing), so two workers, or a retry clicked twice, never process it twice. The
update hands back the claimed row itself (``UPDATE … RETURNING``: SQLite 3.35+ and
PostgreSQL, as the case counter does), raw bytes included, so a claim is one round
trip instead of an update and a read.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.utils import timezone

from cases.models import InboundMessage, InboundStatus

#: The states a message can be claimed from.
CLAIMABLE = (InboundStatus.RECEIVED, InboundStatus.FAILED, InboundStatus.QUARANTINED)


def inbound_claim(message_pk: int) -> InboundMessage | None:
    """Claim the message (one more attempt, started now) and read it; None when it is not
    in a state to be claimed (processed, dropped, or being processed elsewhere)."""
    params = [
        InboundStatus.PROCESSING.value,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        message_pk,
        *(status.value for status in CLAIMABLE),
    ]
    claimed = list(InboundMessage.objects.raw(_claim_sql(connection.vendor), params))
    return claimed[0] if claimed else None


@functools.cache
def _claim_sql(vendor: str) -> str:
    """The claiming statement for the database ``vendor`` (built once per process)."""
    quote = connection.ops.quote_name
    meta = InboundMessage._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    attempts = quote(meta.get_field("attempts").column)
    status = quote(meta.get_field("status").column)
    return (
        f"UPDATE {quote(meta.db_table)} SET {status} = %s, {attempts} = {attempts} + 1, "
        f"{quote('processing_started_at')} = %s, {quote('next_attempt_at')} = NULL "
        f"WHERE {quote(meta.pk.column)} = %s AND {status} IN (%s, %s, %s) "
        f"RETURNING {columns}"
    )
