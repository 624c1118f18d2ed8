"""What a received mail does to its case: urgency, due time and acknowledgement on
opening; open again and the clock running when the customer replies.

Called by mail processing (``cases.intake.email``) inside its transaction. The
acknowledgement runs in a savepoint of its own: when it fails, the message and its
case are kept and the error is noted on the message, because a lost message cannot
be set right later and a missing acknowledgement can.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from cases.first_answer.clock import case_start_clock, subject_is_urgent
from cases.intake.acknowledgements import acknowledgement_send
from cases.intake.parsing import storable
from cases.models import Case, InboundMessage, Priority, Status
from cases.services import case_update

log = logging.getLogger(__name__)


def case_opened_from_mail(*, case: Case, message: InboundMessage) -> None:
    """A mail opened ``case``: apply the urgency rule, set its due time, acknowledge it.

    The due time counts from when the mail was received. The acknowledgement is not
    sent for automatic mail (auto-replies, bounces, lists), and is rate-limited per
    sender (``cases.intake.acknowledgements``).
    """
    received = message.received_at or case.created_at
    if case.priority != Priority.URGENT and subject_is_urgent(message.subject):
        # Restarts the clock for the new priority and keeps ``case`` in step.
        case_update(case=case, actor=None, priority=Priority.URGENT, at=received)
    # case_open (and case_update for a new priority) started the clock at the
    # case's creation; it needs starting again only when the mail was received
    # at another moment (looking the target up again is waste).
    clock_started = case.due_at is not None and case.sla_target is not None
    if case.first_response_at is None and (not clock_started or received != case.created_at):
        case_start_clock(case, received_at=received)
        Case.objects.filter(pk=case.pk).update(sla_target=case.sla_target, due_at=case.due_at)
    if message.is_automatic:
        return
    try:
        with transaction.atomic():
            acknowledgement_send(case=case, message=message)
    except Exception as exc:
        log.exception("The acknowledgement of inbound message %s failed", message.pk)
        note = storable(f"acknowledgement failed: {type(exc).__name__}: {exc}")
        message.error = f"{message.error}\n{note}".strip()[:2000]


def case_customer_replied(*, case: Case, at: dt.datetime) -> None:
    """The customer answered: a case waiting on them, or resolved, is open again.

    Leaving "waiting" resumes the first-answer clock (``case_update`` does that with
    the status change, in the same transaction); a case that was not waiting keeps
    its clock as it was.
    """
    if case.status in (Status.WAITING, Status.RESOLVED):
        case_update(case=case, actor=None, status=Status.OPEN, at=at)
