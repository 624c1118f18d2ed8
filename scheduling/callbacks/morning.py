"""The morning run before the phone opens: missed callbacks moved, the day's queue mailed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from calendars.configured import phone_hours
from cases.models import Status
from periodic import cron_next_run, cron_schedule_ensure
from scheduling.callbacks.booking import first_free_slot
from scheduling.callbacks.errors import (
    aware_or_now,
)
from scheduling.models.callbacks import (
    Callback,
    CallbackState,
)
from scheduling.selectors import callback_queue
from staff.notify import staff_mail_send
from staff.roles import addresses, staff_members

MORNING_SCHEDULE_NAME = "callbacks-morning"
#: Phone days are Monday to Thursday; the run at 08:00 (Dutch time, see Q_CLUSTER["time_zone"])
#: is done before the phone opens at 08:30.
MORNING_CRON = "0 8 * * 1-4"
MORNING_TASK = "scheduling.tasks.callbacks_morning"


# --- The morning run -----------------------------------------------------------------------


def _day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


@transaction.atomic
def callbacks_reschedule_missed(*, now: dt.datetime | None = None) -> list[Callback]:
    """Move callbacks left open on earlier days to the earliest free slots from the next opening.

    The oldest missed callback gets the first free slot. A claim left over
    from an earlier day is released. Callbacks of cases closed meanwhile are
    cancelled instead of moved.
    """
    now = aware_or_now(now, _("current time"))
    calendar = phone_hours()
    today = timezone.localtime(now, calendar.tz).date()
    missed = list(
        Callback.objects.filter(
            state__in=CallbackState.open(), slot_start__lt=_day_start(today, calendar.tz)
        )
        .select_related("case")
        .order_by("slot_start", "created_at", "pk")
    )
    moved: list[Callback] = []
    start = calendar.next_open(now)
    for callback in missed:
        callback.claimed_by = None
        callback.claimed_at = None
        if callback.case.status not in Status.active():
            callback.state = CallbackState.CANCELLED
            callback.save(update_fields=["state", "claimed_by", "claimed_at"])
            continue
        callback.slot_start = first_free_slot(
            calendar=calendar, not_before=start, exclude_pk=callback.pk
        )
        callback.state = CallbackState.SCHEDULED
        callback.save(update_fields=["slot_start", "state", "claimed_by", "claimed_at"])
        moved.append(callback)
    return moved


def digest_recipients() -> list[str]:
    """The addresses of the active staff members and managers."""
    return addresses(staff_members())


def callback_digest_send(*, now: dt.datetime | None = None) -> int:
    """Mail every staff member and manager the day's callback queue; returns mails sent."""
    now = aware_or_now(now, _("current time"))
    recipients = digest_recipients()
    if not recipients:
        return 0
    day = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "day": day,
            "callbacks": list(callback_queue(day=day)),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("scheduling/email/digest_subject.txt", context).strip()
        text = render_to_string("scheduling/email/digest_body.txt", context)
        html = render_to_string("scheduling/email/digest_body.html", context)
    return staff_mail_send(to=recipients, subject=subject, text=text, html=html)


@dataclass(frozen=True)
class MorningRun:
    moved: list[Callback] = field(default_factory=list)
    mailed: int = 0


def callbacks_morning(*, now: dt.datetime | None = None) -> MorningRun:
    """Before the phone opens: move missed callbacks, then mail the day's queue.

    The digest is only sent on phone days (the schedule runs Monday to Thursday,
    and a public holiday among them has no queue to work).
    """
    now = aware_or_now(now, _("current time"))
    moved = callbacks_reschedule_missed(now=now)
    mailed = 0
    if phone_hours().is_open_day(timezone.localdate(now)):
        mailed = callback_digest_send(now=now)
    return MorningRun(moved=moved, mailed=mailed)


def morning_schedule_next_run(now: dt.datetime) -> dt.datetime:
    """The next 08:00 on a Monday to Thursday (Dutch wall-clock time), after ``now``."""
    return cron_next_run(MORNING_CRON, now)


def morning_schedule_ensure(*, schedule_model: type | None = None, now: dt.datetime | None = None):
    """Create or update the django-q schedule of the morning run (one row, found by name).

    ``schedule_model`` lets a migration pass its historical model.
    """
    return cron_schedule_ensure(
        name=MORNING_SCHEDULE_NAME,
        func=MORNING_TASK,
        cron=MORNING_CRON,
        now=aware_or_now(now, _("current time")),
        schedule_model=schedule_model,
    )
