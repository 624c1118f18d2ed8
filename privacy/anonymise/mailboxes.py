"""The mailboxes' own state: a poll's error text can quote a message (its key, its sender).

A mailbox row (``mailboxes_mailbox``) is configuration and the state of its polls;
the only free text a poll writes is the server's or the intake's words about the last
failure (``problem_detail``), e.g. a message that could not be stored, named by its
Message-ID and sender. It is cleared by the next successful poll, and blanked here
when it names mail that is anonymised, or is older than the originals' period. The
problem code stays: it says what went wrong without anyone's data.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import QuerySet

from cases.models import InboundMessage
from mailboxes.models import Mailbox
from privacy.scrub import scrub
from privacy.selectors import mailbox_errors_old


def mailbox_errors_scrub(
    *,
    messages: QuerySet[InboundMessage] | None = None,
    compiled: re.Pattern[str] | None = None,
) -> int:
    """Blank the error texts that name any of ``messages``; replace ``compiled``'s matches.

    A text naming the key, Message-ID or sender of one of ``messages`` (mail being
    anonymised) goes whole; ``compiled`` is one person's identifiers, of which only
    the matches are replaced (an erasure). Returns how many mailboxes changed. Reads
    no mail when no mailbox has an error text, which is nearly always.
    """
    errors = list(Mailbox.objects.exclude(problem_detail="").values_list("pk", "problem_detail"))
    if not errors:
        return 0
    wanted: set[str] = set()
    if messages is not None:
        for row in messages.values_list("esp_event_id", "message_id", "from_address"):
            wanted.update(value.lower() for value in row if value)
    changed = 0
    for pk, detail in errors:
        named = any(term in detail.lower() for term in wanted)
        new = "" if named else scrub(detail, compiled)
        if new != detail:
            changed += Mailbox.objects.filter(pk=pk).update(problem_detail=new)
    return changed


def mailbox_errors_due(cutoff: dt.datetime) -> int:
    """Blank error texts older than ``cutoff`` (the failure went on that long); a count."""
    return mailbox_errors_old(cutoff).update(problem_detail="")
