"""Polling mailboxes: one poll by hand or on the schedule, and the connection test.

Each poll claims its mailbox (one poll at a time), runs with the socket timeouts
of ``settings.MAILBOX_TIMEOUT_SECONDS``, and ends by writing the mailbox's state: the
last successful poll, or the error in plain words. An error stops that poll only:
whatever it stored stays stored, and the next poll (a minute later) tries again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cases.first_answer.clock import configuration_kept
from mailboxes.graph_poll import graph_check, graph_poll
from mailboxes.imap_poll import imap_open, imap_poll
from mailboxes.models import AfterFetch, Kind, Mailbox
from mailboxes.problems import MailboxError, Problem
from mailboxes.selectors import mailboxes_active
from mailboxes.services import (
    mailbox_check_recorded,
    mailbox_check_requested,
    mailbox_claim,
    mailbox_failed,
    mailbox_release,
    mailbox_succeeded,
)
from mailboxes.taking_in import PollReport, transaction_check, waiting_hand_over
from periodic.queue import enqueue

log = logging.getLogger(__name__)


def mailbox_poll(*, mailbox: Mailbox, inline: bool = False) -> PollReport:
    """Take in what waits in ``mailbox``; ``inline`` processes each message before moving on
    (the command, which prints the outcome), otherwise the worker processes it."""
    transaction_check()
    report = PollReport(mailbox.name)
    if not mailbox_claim(mailbox=mailbox):
        report.busy = True
        return report
    try:
        # The poll's own copy, as claimed: the caller's instance is left as it was.
        mailbox = Mailbox.objects.get(pk=mailbox.pk)
        with configuration_kept():  # inline: targets and urgency words read once
            if mailbox.kind == Kind.GRAPH:
                graph_poll(mailbox=mailbox, report=report, inline=inline)
            else:
                imap_poll(mailbox=mailbox, report=report, inline=inline)
    except MailboxError as exc:
        report.error = exc
    except Exception as exc:  # unforeseen: shown on the mailbox, the next poll tries again
        log.exception("Poll of mailbox %s failed", mailbox.name)
        report.error = MailboxError(Problem.PROTOCOL, f"{type(exc).__name__}: {exc}")
    finally:
        waiting_hand_over(report)  # what was stored is processed, also after an error
        mailbox_release(mailbox=mailbox)
    if report.error is not None:
        log.warning("Mailbox %s: %s", mailbox.name, report.error)
        mailbox_failed(mailbox=mailbox, error=report.error)
    else:
        mailbox_succeeded(mailbox=mailbox)
    return report


def mailboxes_poll() -> list[PollReport]:
    """Every active mailbox once (the schedule's job); one mailbox's failure stops no other."""
    return [mailbox_poll(mailbox=mailbox) for mailbox in mailboxes_active()]


def mailbox_check(*, mailbox: Mailbox) -> list[str]:
    """Sign in, open the folders, count what waits; the result is written to the mailbox.

    Raises ``MailboxError`` saying what is wrong; returns what it found otherwise.
    """
    try:
        found = graph_check(mailbox=mailbox) if mailbox.kind == Kind.GRAPH else _imap_check(mailbox)
    except MailboxError as exc:
        mailbox_failed(mailbox=mailbox, error=exc)
        raise
    except Exception as exc:
        error = MailboxError(Problem.PROTOCOL, f"{type(exc).__name__}: {exc}")
        mailbox_failed(mailbox=mailbox, error=error)
        raise error from exc
    mailbox_succeeded(mailbox=mailbox)
    return found


def mailbox_check_later(*, mailbox: Mailbox) -> None:
    """Have the worker test the connection (the "test connection" button): a web request
    never waits for a mail server. The page shows the result when it is recorded, or says
    the worker did not answer after ``MAILBOX_CHECK_WAIT_SECONDS``."""
    requested_at = mailbox_check_requested(mailbox=mailbox)
    pk = mailbox.pk
    language = translation.get_language()  # the result in the language of who asked

    def queue() -> None:
        try:
            enqueue(
                mailbox_check_run,
                mailbox_pk=pk,
                requested_at=requested_at,
                language=language,
                group="mailbox-check",
                # Every socket already times out after MAILBOX_TIMEOUT_SECONDS; this
                # bounds the whole test (connect, TLS, sign-in, two folders) as well.
                timeout=settings.MAILBOX_CHECK_WAIT_SECONDS,
            )
        except Exception as exc:  # the broker is down: say so instead of waiting
            log.exception("Could not queue the connection test of mailbox %s", pk)
            mailbox_check_recorded(
                mailbox_pk=pk,
                requested_at=requested_at,
                ok=False,
                result=_("The test could not be handed to the worker: %(error)s") % {"error": exc},
            )

    transaction.on_commit(queue, robust=True)


def mailbox_check_run(
    *, mailbox_pk: int, requested_at: dt.datetime, language: str | None = None
) -> str:
    """The worker's half of "test connection": test, then record what it found."""
    mailbox = Mailbox.objects.filter(pk=mailbox_pk).first()
    if mailbox is None:
        return "mailbox removed"
    with translation.override(language):
        try:
            found = mailbox_check(mailbox=mailbox)
        except MailboxError as exc:
            ok = False
            label = str(exc.problem.label)
            result = f"{label} ({exc.detail})" if exc.detail else label
        else:
            ok, result = True, " ".join(found)
    mailbox_check_recorded(mailbox_pk=mailbox_pk, requested_at=requested_at, ok=ok, result=result)
    return result


def _imap_check(mailbox: Mailbox) -> list[str]:
    with imap_open(mailbox) as session:
        found = [_("Signed in as %(login)s.") % {"login": mailbox.login}]
        uidvalidity = session.select(mailbox.folder)
        waiting = len(session.search())
        found.append(
            _("Folder %(folder)s: %(count)s message(s) waiting (UIDVALIDITY %(validity)s).")
            % {"folder": mailbox.folder, "count": waiting, "validity": uidvalidity}
        )
        if mailbox.after_fetch == AfterFetch.MOVE:
            if not session.folder_exists(mailbox.processed_folder):
                raise MailboxError(Problem.PROCESSED_FOLDER, mailbox.processed_folder)
            found.append(_("Folder %(folder)s exists.") % {"folder": mailbox.processed_folder})
    return found
