"""One poll of an IMAP mailbox: what is new is fetched, stored, and only then moved.

Exactly once, nothing lost:

* messages are fetched with ``BODY.PEEK[]`` (never marked read before they are kept)
  in batches bounded in count and bytes, so memory stays flat however full the folder;
* each batch is stored through the intake and committed (one commit for the batch)
  before anything changes on the server; then it is moved to the folder for processed
  mail (or marked read);
* each message is keyed by (mailbox, folder, UIDVALIDITY, UID): a poll that crashed
  after storing and before moving finds the key on the next run and only moves;
* after a UIDVALIDITY change the folder is read again from the start, and the
  intake's dedupe (Message-ID and content) recognises what it already keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from mailboxes.credentials import secret_read
from mailboxes.google import google_token, google_tokens_forget
from mailboxes.imap import ImapSession, ImapTarget, imap_session
from mailboxes.models import AfterFetch, Auth, Mailbox
from mailboxes.problems import MailboxError, Problem
from mailboxes.selectors import stored_keys
from mailboxes.services import mailbox_progress
from mailboxes.taking_in import PollReport, messages_take, waiting_hand_over
from mailboxes.tokens import IMAP_SCOPE, access_token, tokens_forget


def imap_target(mailbox: Mailbox) -> ImapTarget:
    return ImapTarget(
        host=mailbox.host,
        port=mailbox.imap_port,
        security=mailbox.security,
        login=mailbox.login,
        timeout=settings.MAILBOX_TIMEOUT_SECONDS,
        ca_file=settings.MAILBOX_CA_FILE,
    )


def imap_credentials(mailbox: Mailbox) -> dict[str, str]:
    """``password=`` for LOGIN, or ``token=`` (from Microsoft's identity platform or from
    Google for a service account acting for the mailbox's user) for XOAUTH2."""
    secret = secret_read(mailbox)
    if mailbox.auth == Auth.GOOGLE:
        return {"token": google_token(secret=secret, subject=mailbox.login)}
    if mailbox.auth == Auth.MICROSOFT:
        return {
            "token": access_token(
                tenant_id=mailbox.tenant_id,
                client_id=mailbox.client_id,
                secret=secret,
                scope=IMAP_SCOPE,
            )
        }
    return {"password": secret}


@contextmanager
def imap_open(mailbox: Mailbox) -> Iterator[ImapSession]:
    """Signed in to the mailbox; an expired or revoked token is forgotten for the next try."""
    credentials = imap_credentials(mailbox)
    try:
        with imap_session(imap_target(mailbox), **credentials) as session:
            yield session
    except MailboxError as exc:
        if exc.problem == Problem.TOKEN and mailbox.auth == Auth.MICROSOFT:
            app = {"tenant_id": mailbox.tenant_id, "client_id": mailbox.client_id}
            tokens_forget(**app, secret=secret_read(mailbox))
        if exc.problem == Problem.TOKEN and mailbox.auth == Auth.GOOGLE:
            google_tokens_forget(secret=secret_read(mailbox), subject=mailbox.login)
            raise MailboxError(Problem.GOOGLE_TOKEN, exc.detail) from exc
        raise


def batches(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """``uids`` in order, in groups of at most ``MAILBOX_FETCH_BATCH`` messages and
    ``MAILBOX_FETCH_BATCH_BYTES`` bytes (a larger message forms a group of its own)."""
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (
            len(batch) >= settings.MAILBOX_FETCH_BATCH
            or total + size > settings.MAILBOX_FETCH_BATCH_BYTES
        ):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _finish(session: ImapSession, mailbox: Mailbox, uids: list[int]) -> None:
    if mailbox.after_fetch == AfterFetch.MOVE:
        session.move(uids, mailbox.processed_folder)
    else:
        session.mark_seen(uids)


def imap_poll(*, mailbox: Mailbox, report: PollReport, inline: bool = False) -> None:
    """Take in what waits in the mailbox's folder (see the module documentation)."""
    with imap_open(mailbox) as session:
        uidvalidity = session.select(mailbox.folder)
        same_validity = mailbox.uidvalidity == uidvalidity
        if mailbox.uidvalidity is not None and not same_validity:
            report.lines.append(
                f"UIDVALIDITY changed from {mailbox.uidvalidity} to {uidvalidity}: "
                "the folder is read again; what is already stored is recognised"
            )
        if not same_validity:
            mailbox_progress(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=None)
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, None
        if mailbox.after_fetch == AfterFetch.MOVE:
            uids = session.search()
        else:
            uids = session.search(after_uid=mailbox.last_uid or 0)
        if not uids:
            return
        if mailbox.after_fetch == AfterFetch.MOVE and not session.folder_exists(
            mailbox.processed_folder
        ):
            raise MailboxError(Problem.PROCESSED_FOLDER, mailbox.processed_folder)

        prefix = f"{mailbox.folder}/{uidvalidity}/"
        known = stored_keys(source=mailbox.source, keys=[f"{prefix}{uid}" for uid in uids])
        stored = [uid for uid in uids if f"{prefix}{uid}" in known]
        for start in range(0, len(stored), 500):  # kept by an earlier, interrupted poll
            _finish(session, mailbox, stored[start : start + 500])
        report.duplicates += len(stored)
        report.finished += len(stored)
        if stored:
            report.lines.append(f"{len(stored)} message(s) stored by an earlier poll: moved on")

        waiting = [uid for uid in uids if f"{prefix}{uid}" not in known]
        sizes: dict[int, int] = {}
        for start in range(0, len(waiting), 1000):
            sizes.update(session.sizes(waiting[start : start + 1000]))
        for batch in batches(waiting, sizes):
            raws = session.fetch(batch)
            before = report.taken_in
            # What is missing was removed from the folder meanwhile (another client).
            done = [uid for uid in batch if uid in raws]
            fetched = [(f"{prefix}{uid}", raws.pop(uid)) for uid in done]
            del raws
            messages_take(mailbox=mailbox, fetched=fetched, report=report, inline=inline)
            waiting_hand_over(report)
            _finish(session, mailbox, done)
            report.finished += len(done)
            mailbox_progress(
                mailbox=mailbox,
                taken_in=report.taken_in - before,
                last_uid=max(batch),
            )
