"""Demo callbacks: the out-of-hours callers' callbacks, and the morning queue still waiting."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser

from cases import services
from cases.models import CallOutcome, Case, Channel, Contact, Organisation
from helpdesk.demo.run import DemoRun
from helpdesk.demo.texts import SUBJECTS
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.errors import CallbackOutcome
from scheduling.callbacks.queue import callback_record_outcome

#: Callbacks still to be made when the demo starts.
QUEUED_CALLBACKS = 8


def demo_callback_made(
    run: DemoRun, case: Case, worker: AbstractBaseUser, number: str, opened: dt.datetime
) -> dt.datetime:
    """Book the out-of-hours caller's callback; past ones were mostly made.

    Most are made within their slot, some later that morning, a few needed a
    second try, and a few of the last days are still waiting (the overdue part
    of the morning queue). Returns when the caller was reached (or would be).
    """
    rng = run.rng
    callback = callback_schedule(case=case, number=number, actor=run.staff, now=opened)
    made = callback.slot_start + dt.timedelta(minutes=rng.choice((3, 8, 12, 40, 75)))
    if made >= run.now or (run.now - made < dt.timedelta(days=4) and rng.random() < 0.3):
        return made
    if rng.random() < 0.2:
        callback = callback_record_outcome(
            callback=callback, actor=worker, outcome=CallbackOutcome.NO_ANSWER, now=made
        ).callback
        made = callback.slot_start + dt.timedelta(minutes=rng.choice((2, 9)))
        if made >= run.now:
            return made
    callback_record_outcome(
        callback=callback, actor=worker, outcome=CallbackOutcome.REACHED, now=made
    )
    return made


def demo_waiting_caller(
    run: DemoRun, org: Organisation | None, contact: Contact, number: str
) -> None:
    """A call of the last hours whose callback is still to be made."""
    staff = run.staff
    opened = run.now - dt.timedelta(minutes=run.rng.randrange(5, 900))
    case = services.case_open(
        subject=run.rng.choice(SUBJECTS[run.rng.choice(list(SUBJECTS))]),
        channel=Channel.PHONE,
        actor=staff,
        organisation=org,
        contact=contact,
        created_at=opened,
    )
    services.call_log(
        case=case,
        actor=staff,
        call=services.CallDetails(
            number=number,
            started_at=opened,
            duration=dt.timedelta(minutes=run.rng.randrange(2, 8)),
            outcome=CallOutcome.CALLBACK,
            notes="Wil graag teruggebeld worden.",
        ),
    )
    callback_schedule(case=case, number=number, actor=staff, requested_by_caller=True, now=opened)
