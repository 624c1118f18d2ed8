"""Anonymising a whole case: every personal detail on it, in one transaction.

A list of small steps, one per kind of row that hangs off a case; a new table
with personal data on a case is one more function in ``CASE_STEPS``. What stays
is what the reports need: channel, dates and times, priority, category, status,
PSO level, the first-answer times and outcome, callbacks' slots and states,
calls' times and durations, the organisation and the assignee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseChange, Note, PhoneCall
from privacy.anonymise.rows import admin_log_scrub, inbound_wipe, outbound_wipe
from privacy.models import AnonymisedCase, LegalHold
from privacy.scrub import ANONYMISED
from scheduling.models import Callback

#: Timeline fields whose old and new values can hold personal data (the subject's
#: words, the contact's key); the other tracked fields are codes and staff.
PERSONAL_CHANGE_FIELDS = ("subject", "contact", "description")


def _case_row(case: Case) -> int:
    Case.objects.filter(pk=case.pk).update(subject=ANONYMISED, description="", contact=None)
    admin_log_scrub(Case, [case.pk])
    return 1


def _calls(case: Case) -> int:
    calls = PhoneCall.objects.filter(case=case)
    admin_log_scrub(PhoneCall, list(calls.values_list("pk", flat=True)))
    return calls.update(number="", notes="")


def _notes(case: Case) -> int:
    notes = Note.objects.filter(case=case)
    admin_log_scrub(Note, list(notes.values_list("pk", flat=True)))
    return notes.update(body=ANONYMISED)


def _changes(case: Case) -> int:
    return CaseChange.objects.filter(case=case, field__in=PERSONAL_CHANGE_FIELDS).update(
        old_value="", new_value=""
    )


def _inbound(case: Case) -> int:
    return inbound_wipe(case.inbound_messages.all())


def _outbound(case: Case) -> int:
    return outbound_wipe(case.outbound_messages.all())


def _callbacks(case: Case) -> int:
    callbacks = Callback.objects.filter(case=case)
    admin_log_scrub(Callback, list(callbacks.values_list("pk", flat=True)))
    return callbacks.update(number="", outcome_notes="")


#: (kind, step): each step blanks one kind of row of the case and counts it.
CASE_STEPS: tuple[tuple[str, Callable[[Case], int]], ...] = (
    ("calls", _calls),
    ("notes", _notes),
    ("changes", _changes),
    ("inbound_mail", _inbound),
    ("outbound_mail", _outbound),
    ("callbacks", _callbacks),
    # Last: the case row itself (it unlinks the contact the steps above may read).
    ("cases", _case_row),
)


class CaseOnHold(Exception):
    """The case is under a legal hold: it is not anonymised until the hold is lifted."""


def case_anonymise(*, case: Case, now: dt.datetime | None = None) -> dict[str, int]:
    """Replace every personal detail of ``case``; returns rows changed per kind.

    One transaction: an interruption leaves the case as it was, never half done.
    The case is locked first, so two runs never anonymise it twice; a case already
    anonymised returns empty counts.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if AnonymisedCase.objects.filter(case=locked).exists():
            return {}
        if LegalHold.objects.filter(case=locked).exists():
            raise CaseOnHold(locked.reference)
        counts = {kind: step(locked) for kind, step in CASE_STEPS}
        AnonymisedCase.objects.create(case=locked, at=now)
    return counts
