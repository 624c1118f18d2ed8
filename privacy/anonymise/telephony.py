"""The phone system's record of calls: numbers as sent, the caller's name, the raw events.

``telephony`` keeps a row per call a phone system told of (``telephony_call``) and each
of its events as posted (``telephony_callevent``: the raw CTI payload, which names the
caller's number and, from Voys, the caller's name). A call logged on a case or booked
as a callback hangs off that case; a call nobody logged hangs off nothing but its
number and contact. Numbers on the block list are the manager's, each with a note.
"""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from cases.models import PhoneCall
from privacy.selectors import WIPED_CALL_ID
from scheduling.models import Callback
from telephony.models import BlockedNumber, Call, CallEvent


def calls_of_cases(case_pks: list[int]) -> QuerySet[Call]:
    """The phone system's calls logged on these cases or booked as their callbacks."""
    # The keys read first, then given as lists: PostgreSQL plans "IN (subquery) OR IN
    # (subquery)" as a scan of every call, but two lists of keys as two index look-ups.
    logged = list(PhoneCall.objects.filter(case_id__in=case_pks).values_list("pk", flat=True))
    booked = list(Callback.objects.filter(case_id__in=case_pks).values_list("pk", flat=True))
    return Call.objects.filter(Q(phone_call_id__in=logged) | Q(callback_id__in=booked))


def calls_wipe(calls: QuerySet[Call]) -> int:
    """Blank what a call says of the other party; the events keep only their kind and time.

    Kept: the phone system, direction, when it rang, was answered and ended, the cause,
    whether it was missed and inside phone hours, who answered (staff), the queue, and
    the links to the logged call, the callback and the organisation — the caller log's
    and the reports' figures. Returns how many calls were wiped (a wiped call again: 0).
    """
    pks = list(calls.exclude(call_id__startswith=WIPED_CALL_ID).values_list("pk", flat=True))
    if not pks:
        return 0
    CallEvent.objects.filter(call_id__in=pks).update(payload={})
    Call.objects.filter(pk__in=pks).update(
        call_id=Concat(Value(WIPED_CALL_ID), Cast("pk", CharField())),
        from_raw="",
        to_raw="",
        number="",
        contact=None,
    )
    return len(pks)


def call_payloads_remove(calls: QuerySet[Call]) -> int:
    """Only the raw events of these calls (the policy's shorter period for originals)."""
    return CallEvent.objects.filter(call__in=calls).exclude(payload={}).update(payload={})


def blocked_numbers_remove(numbers: frozenset[str] | list[str]) -> int:
    """A person's numbers on the block list, with their notes: nothing of theirs is kept."""
    if not numbers:
        return 0
    return BlockedNumber.objects.filter(number__in=sorted(numbers)).delete()[0]
