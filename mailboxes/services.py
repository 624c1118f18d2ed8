"""Writes to a mailbox's state: claiming a poll, and what the poll found.

One poll per mailbox at a time: a poll claims the mailbox with a conditional update,
and a claim older than ``POLL_STUCK_AFTER`` (a killed worker) is taken over.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from mailboxes.models import Mailbox
from mailboxes.problems import MailboxError, Problem

#: A poll holds its mailbox at most this long; a claim older than this was a crash.
POLL_STUCK_AFTER = dt.timedelta(minutes=10)


def mailbox_claim(*, mailbox: Mailbox, now: dt.datetime | None = None) -> bool:
    """Claim ``mailbox`` for one poll; False when another poll holds it."""
    now = now or timezone.now()
    claimed = (
        Mailbox.objects.filter(pk=mailbox.pk)
        .filter(Q(polling_since__isnull=True) | Q(polling_since__lt=now - POLL_STUCK_AFTER))
        .update(polling_since=now, last_poll_at=now)
    )
    return claimed == 1


def mailbox_release(*, mailbox: Mailbox) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(polling_since=None)


def mailbox_progress(*, mailbox: Mailbox, taken_in: int = 0, **state: object) -> None:
    """Count what a poll took in so far and keep its place (UIDVALIDITY, UID, delta link)."""
    Mailbox.objects.filter(pk=mailbox.pk).update(taken_in=F("taken_in") + taken_in, **state)


def mailbox_succeeded(*, mailbox: Mailbox, now: dt.datetime | None = None) -> None:
    """A poll or connection test that worked: the error shown before is gone."""
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_success_at=now or timezone.now(),
        problem=Problem.NONE,
        problem_detail="",
        problem_at=None,
    )


def mailbox_failed(
    *, mailbox: Mailbox, error: MailboxError, now: dt.datetime | None = None
) -> None:
    """Show ``error`` on the mailbox; "since" stays at the first poll that met it."""
    now = now or timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).exclude(problem=error.problem).update(problem_at=now)
    Mailbox.objects.filter(pk=mailbox.pk).update(problem=error.problem, problem_detail=error.detail)


def mailbox_check_requested(*, mailbox: Mailbox, now: dt.datetime | None = None) -> dt.datetime:
    """A connection test was asked for: an earlier result is no longer shown."""
    now = now or timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        check_requested_at=now, check_finished_at=None, check_ok=None, check_result=""
    )
    mailbox.check_requested_at, mailbox.check_finished_at = now, None
    mailbox.check_ok, mailbox.check_result = None, ""
    return now


def mailbox_check_recorded(
    *, mailbox_pk: int, requested_at: dt.datetime, ok: bool, result: str
) -> bool:
    """Keep a connection test's result, unless a newer test was asked for meanwhile."""
    return (
        Mailbox.objects.filter(pk=mailbox_pk, check_requested_at=requested_at).update(
            check_finished_at=timezone.now(), check_ok=ok, check_result=result[:2000]
        )
        == 1
    )


#: What a manager sets; the rest of the row is the polls' state and is never
#: written from a form (a save racing a poll would otherwise undo its counts).
CONFIGURATION_FIELDS = [
    "name",
    "address",
    "kind",
    "active",
    "host",
    "port",
    "security",
    "auth",
    "username",
    "tenant_id",
    "client_id",
    "secret_env",
    "secret_file",
    "folder",
    "after_fetch",
    "processed_folder",
]


def mailbox_configure(*, mailbox: Mailbox) -> Mailbox:
    """Save a mailbox's configuration (validated); a new folder starts its reading afresh."""
    mailbox.full_clean()
    if mailbox.pk is None:
        mailbox.save()
        return mailbox
    before = Mailbox.objects.only("folder", "kind").get(pk=mailbox.pk)
    fields = list(CONFIGURATION_FIELDS)
    if (before.folder, before.kind) != (mailbox.folder, mailbox.kind):
        mailbox.uidvalidity = mailbox.last_uid = None
        mailbox.delta_link = ""
        fields += ["uidvalidity", "last_uid", "delta_link"]
    mailbox.save(update_fields=fields)
    return mailbox
