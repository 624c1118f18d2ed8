"""Anonymising whole cases: every personal detail on them, in one transaction.

A list of small steps, one per kind of row that hangs off a case; a new table
with personal data on a case is one more function in ``CASE_STEPS``. Each step
takes the keys of the cases and blanks its rows of all of them with set-based
updates, so the retention job can do a hundred cases in the queries of one.
What stays is what the reports need: channel, dates and times, priority,
category, status, PSO level, the first-answer times and outcome, callbacks'
slots and states, calls' times and durations, the organisation and the assignee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, CaseChange, InboundMessage, Note, OutboundMessage, PhoneCall
from cases.search.schema import compact as search_index_compact
from privacy.anonymise.mailboxes import mailbox_errors_scrub
from privacy.anonymise.rows import admin_log_scrub, inbound_wipe, outbound_wipe
from privacy.anonymise.telephony import calls_of_cases, calls_wipe
from privacy.models import AnonymisedCase, LegalHold
from privacy.scrub import ANONYMISED
from scheduling.models import Callback

#: Timeline fields whose old and new values can hold personal data (the subject's
#: words, the contact's key); the other tracked fields are codes and staff.
PERSONAL_CHANGE_FIELDS = ("subject", "contact", "description")

Keys = list[int]


def _case_rows(pks: Keys) -> int:
    admin_log_scrub(Case, pks)
    return Case.objects.filter(pk__in=pks).update(subject=ANONYMISED, description="", contact=None)


def _calls(pks: Keys) -> int:
    calls = PhoneCall.objects.filter(case_id__in=pks)
    admin_log_scrub(PhoneCall, list(calls.values_list("pk", flat=True)))
    return calls.update(number="", notes="")


def _notes(pks: Keys) -> int:
    notes = Note.objects.filter(case_id__in=pks)
    admin_log_scrub(Note, list(notes.values_list("pk", flat=True)))
    return notes.update(body=ANONYMISED)


def _changes(pks: Keys) -> int:
    return CaseChange.objects.filter(case_id__in=pks, field__in=PERSONAL_CHANGE_FIELDS).update(
        old_value="", new_value=""
    )


def _inbound(pks: Keys) -> int:
    return inbound_wipe(InboundMessage.objects.filter(case_id__in=pks))


def _outbound(pks: Keys) -> int:
    return outbound_wipe(OutboundMessage.objects.filter(case_id__in=pks))


def _mailbox_errors(pks: Keys) -> int:
    # Before the mail is wiped: the error texts are recognised by its keys and senders.
    return mailbox_errors_scrub(messages=InboundMessage.objects.filter(case_id__in=pks))


def _phone_system_calls(pks: Keys) -> int:
    return calls_wipe(calls_of_cases(pks))


def _callbacks(pks: Keys) -> int:
    callbacks = Callback.objects.filter(case_id__in=pks)
    admin_log_scrub(Callback, list(callbacks.values_list("pk", flat=True)))
    return callbacks.update(number="", outcome_notes="")


#: (kind, step): each step blanks one kind of row of the cases and counts it.
CASE_STEPS: tuple[tuple[str, Callable[[Keys], int]], ...] = (
    ("mailbox_errors", _mailbox_errors),
    ("calls", _calls),
    ("phone_system_calls", _phone_system_calls),
    ("notes", _notes),
    ("changes", _changes),
    ("inbound_mail", _inbound),
    ("outbound_mail", _outbound),
    ("callbacks", _callbacks),
    # Last: the case rows themselves (they unlink the contact).
    ("cases", _case_rows),
)


class CaseOnHold(Exception):
    """The case is under a legal hold: it is not anonymised until the hold is lifted."""


def cases_anonymise(
    *, case_pks: Keys, now: dt.datetime | None = None, compact: bool = True
) -> dict[str, int]:
    """Replace every personal detail of these cases; returns rows changed per kind.

    One transaction: an interruption leaves every one of them as it was, never half
    done. The cases are locked first, so two runs never anonymise one twice; cases
    already anonymised or under a legal hold are left out (and not counted).
    ``compact=False`` leaves merging the search index to the caller (the retention
    job does it once per batch, not once per case).
    """
    now = now or timezone.now()
    with transaction.atomic():
        pks = list(
            Case.objects.select_for_update()
            .filter(pk__in=case_pks)
            .exclude(pk__in=AnonymisedCase.objects.values("case_id"))
            .exclude(pk__in=LegalHold.objects.values("case_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not pks:
            return {}
        counts = {kind: step(pks) for kind, step in CASE_STEPS}
        AnonymisedCase.objects.bulk_create(AnonymisedCase(case_id=pk, at=now) for pk in pks)
        if compact:  # erased texts leave nothing behind in the search index either
            search_index_compact(connection)
    return counts


def case_anonymise(*, case: Case, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise one case (empty counts when it already is); ``CaseOnHold`` when held."""
    if LegalHold.objects.filter(case_id=case.pk).exists():
        raise CaseOnHold(case.reference)
    return cases_anonymise(case_pks=[case.pk], now=now)
