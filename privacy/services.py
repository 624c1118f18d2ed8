"""Writes of privacy: the policy, legal holds, and entries of the access log."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case
from privacy.models import AccessEntry, LegalHold, RetentionPolicy


@transaction.atomic
def retention_policy_update(*, actor: AbstractBaseUser, **periods: int) -> RetentionPolicy:
    """Save the policy (row 1) with the given periods in months; validated first."""
    policy = RetentionPolicy.objects.select_for_update().filter(pk=1).first() or RetentionPolicy(
        pk=1
    )
    for field, months in periods.items():
        setattr(policy, field, months)
    policy.updated_by = actor
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def legal_hold_set(*, case: Case, reason: str, actor: AbstractBaseUser) -> LegalHold:
    """Keep ``case`` out of the retention job until the hold is lifted (a new reason replaces)."""
    hold, _created = LegalHold.objects.update_or_create(
        case=case, defaults={"reason": reason.strip(), "set_by": actor, "set_at": timezone.now()}
    )
    hold.full_clean()
    return hold


def legal_hold_lift(*, case: Case) -> bool:
    """Lift the hold; the case is then treated as every other by the next run."""
    return LegalHold.objects.filter(case=case).delete()[0] > 0


def access_record(
    *,
    user: AbstractBaseUser,
    kind: str,
    ip: str | None,
    path: str = "",
    case_reference: str = "",
    object_id: int | None = None,
    person_digest: str = "",
    at: dt.datetime | None = None,
) -> AccessEntry:
    """Append one entry to the access log: a single INSERT, nothing read first.

    On its own (not inside a transaction of the page's), the entry is committed on
    PostgreSQL without waiting for the write-ahead log to reach the disk: on a busy disk
    that wait was nearly all of the cost of a page view's entry. The entry is still
    written whole or not at all; only a crash of the database server itself within a
    fraction of a second (three times ``wal_writer_delay``, 0.6 s by default) can lose
    the last entries, never anything else. Inside a page's own transaction the entry
    simply commits with it.
    """
    entry = AccessEntry(
        at=at or timezone.now(),
        user_id=user.pk,
        username=user.get_username()[:150],
        ip=ip,
        kind=kind,
        case_reference=case_reference[:20],
        object_id=object_id,
        path=path[:300],
        person_digest=person_digest,
    )
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        entry.save(force_insert=True)
    else:
        _insert_committed_without_waiting(entry)
    return entry


def _insert_committed_without_waiting(entry: AccessEntry) -> None:
    """The entry's INSERT as one statement in its own (autocommit) transaction, which it
    tells not to wait for the disk at its commit: ``set_config(…, is_local => true)`` in
    the RETURNING list holds for this transaction only. One round trip, as a plain INSERT.
    The columns and values come from the model, so the statement follows its fields."""
    fields = [f for f in AccessEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(AccessEntry._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"RETURNING {quote(AccessEntry._meta.pk.column)}, "
        "set_config('synchronous_commit', 'off', true)"
    )
    params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        entry.pk = cursor.fetchone()[0]
