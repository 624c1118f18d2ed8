"""Taking up mail that got stuck: the job that runs every minute in the worker.

Incoming mail is stored before anything else, so a crash can only leave it
unprocessed, never lost. This job finds what was left behind and processes it:

* a claim older than ``STUCK_AFTER`` (a killed worker, a dropped database
  connection in the middle of processing) is released and tried again;
* a failed message whose back-off has passed (``RETRY_DELAYS``) is tried again;
* a message still "received" a while after it arrived (its queued task was lost,
  the broker was down) is processed.

Outgoing mail likewise: a message recorded but never handed to the mail backend
is sent; one whose hand-over was interrupted is marked failed with a plain
explanation, because it may or may not have left (staff decide to resend).

Every step claims rows with conditional updates, so two runs at once, or a run
beside the worker's own processing, never handle a message twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.intake.email import inbound_process, inbound_release_stuck
from cases.intake.outbound import outbound_deliver
from cases.models import InboundMessage, InboundStatus, OutboundMessage, OutboundStatus
from periodic import interval_schedule_ensure

log = logging.getLogger(__name__)

#: A message still "received" this long after it arrived lost its queued task.
LOST_AFTER = dt.timedelta(minutes=2)
#: A recorded reply not handed to the mail backend after this long is sent here.
UNSENT_AFTER = dt.timedelta(minutes=2)
#: A hand-over to the mail backend that has not finished after this long was interrupted.
SENDING_STUCK_AFTER = dt.timedelta(minutes=10)
#: At most this many messages of each kind per run: a backlog is worked off over
#: a few runs instead of one run holding the worker for long.
BATCH = 200

RECOVERY_SCHEDULE_NAME = "mail-recover"
RECOVERY_TASK = "cases.tasks.mail_recover"


@dataclass(frozen=True)
class RecoveryRun:
    released: int = 0
    retried: int = 0
    late: int = 0
    sent: int = 0
    interrupted: int = 0

    def describe(self) -> str:
        return (
            f"released {self.released} stuck, retried {self.retried} failed and "
            f"{self.late} waiting messages; sent {self.sent}, {self.interrupted} interrupted"
        )


def mail_recover(*, now: dt.datetime | None = None) -> RecoveryRun:
    """One run of the recovery job (see the module documentation)."""
    now = now or timezone.now()
    released = inbound_release_stuck(now=now)
    due = list(
        InboundMessage.objects.filter(status=InboundStatus.FAILED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    late = list(
        InboundMessage.objects.filter(
            status=InboundStatus.RECEIVED, received_at__lt=now - LOST_AFTER
        )
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in [*due, *late]:
        inbound_process(message_pk=pk)

    interrupted = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, sending_since__lt=now - SENDING_STUCK_AFTER
    ).update(
        status=OutboundStatus.FAILED,
        status_detail=_(
            "Handing the message to the mail server was interrupted; it may or may not "
            "have been sent. Check with the recipient before sending it again."
        ),
    )
    unsent = list(
        OutboundMessage.objects.filter(
            status=OutboundStatus.QUEUED, created_at__lt=now - UNSENT_AFTER
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in unsent:
        outbound_deliver(message_pk=pk)
    run = RecoveryRun(
        released=released,
        retried=len(due),
        late=len(late),
        sent=len(unsent),
        interrupted=interrupted,
    )
    if any((released, due, late, unsent, interrupted)):
        log.warning("Mail recovery: %s", run.describe())
    return run


def recovery_schedule_ensure(*, schedule_model: type | None = None) -> object:
    """Create or update the every-minute schedule of the recovery job (found by name).

    ``schedule_model`` lets a migration pass its historical model.
    """
    return interval_schedule_ensure(
        name=RECOVERY_SCHEDULE_NAME, func=RECOVERY_TASK, minutes=1, schedule_model=schedule_model
    )
