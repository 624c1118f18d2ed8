"""The write paths of callbacks: booking, claiming, outcomes and the morning run.

Every entry point (the log-a-call screen, the queue page, the morning task, the
management command) calls these. Each is keyword-only and transactional.

Capacity is never overbooked: booking locks the phone day's ``CallbackDay`` row
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction already
runs alone, as settings open them IMMEDIATE) and only then counts the
callbacks in the slot, so two people booking at once queue instead of both
seeing the last free place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import CallDirection, CallOutcome, Case, PhoneCall, Priority, Status
from cases.phones import normalise
from cases.services import CallDetails, call_log, case_update, note_add
from helpdesk.roles import MANAGER_GROUP, STAFF_GROUP
from scheduling.calendar import BusinessCalendar
from scheduling.calendars import phone_hours
from scheduling.callbacks import (
    CHOICES_OFFERED,
    MAX_ATTEMPTS,
    attempts_exhausted,
    callback_needed,
    capacity_for,
    free_slots,
    slot_containing,
    slot_starts,
)
from scheduling.models.callbacks import (
    Callback,
    CallbackDateCapacity,
    CallbackDay,
    CallbackState,
    CallbackWeekdayCapacity,
)
from scheduling.schedules import cron_next_run, cron_schedule_ensure

#: How far ahead a callback is looked for; when no day in this span takes callbacks, booking
#: fails with a message instead of searching forever.
SEARCH_DAYS = 8 * 7
#: A caller may ask for a time at most this far ahead.
BOOKING_HORIZON = dt.timedelta(days=365)

MORNING_SCHEDULE_NAME = "callbacks-morning"
#: Phone days are Monday to Thursday; the run at 08:00 (Dutch time, see Q_CLUSTER["time_zone"])
#: is done before the phone opens at 08:30.
MORNING_CRON = "0 8 * * 1-4"
MORNING_TASK = "scheduling.tasks.callbacks_morning"


# --- Errors --------------------------------------------------------------------------------


class CallbackError(Exception):
    """A callback could not be booked or changed; the message is for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class InvalidTime(CallbackError, ValueError):
    """A naive datetime, or one too far in the past or future."""


class CaseNotActive(CallbackError):
    """Closed and resolved cases get no callbacks."""


class NoCapacity(CallbackError):
    """No phone day in the search span takes callbacks, or every slot in it is full."""


class SlotUnavailable(CallbackError):
    """The time asked for is outside phone hours or its slot is full; ``choices`` are free slots."""

    def __init__(self, message: str, choices: list[dt.datetime]) -> None:
        super().__init__(message)
        self.choices = choices


class AlreadyClaimed(CallbackError):
    """Someone else is already making this callback."""


class CallbackOutcome(models.TextChoices):
    REACHED = "reached", gettext_lazy("Reached")
    NO_ANSWER = "no_answer", gettext_lazy("No answer")
    WRONG_NUMBER = "wrong_number", gettext_lazy("Wrong number")


# --- Slots -------------------------------------------------------------------------------------


def _aware(at: dt.datetime | None, what: str) -> dt.datetime:
    if at is None:
        return timezone.now()
    if not isinstance(at, dt.datetime):
        raise InvalidTime(_("The %(what)s is not a date and time.") % {"what": what})
    if timezone.is_naive(at):
        raise InvalidTime(
            _("The %(what)s has no time zone; give a time with its zone.") % {"what": what}
        )
    return at


def slot_length() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CALLBACK_SLOT_MINUTES)


def _capacities(first: dt.date, last: dt.date) -> tuple[dict[int, int], dict[dt.date, int]]:
    weekday = dict(CallbackWeekdayCapacity.objects.values_list("weekday", "capacity"))
    dates = dict(
        CallbackDateCapacity.objects.filter(date__range=(first, last)).values_list(
            "date", "capacity"
        )
    )
    return weekday, dates


def _booked(
    first: dt.datetime, last: dt.datetime, exclude_pk: int | None
) -> dict[dt.datetime, int]:
    """Callbacks that hold a place, per slot start (in UTC), between two instants."""
    qs = Callback.objects.filter(
        state__in=CallbackState.open(), slot_start__gte=first, slot_start__lt=last
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    rows = qs.order_by().values("slot_start").annotate(n=Count("pk"))
    return {row["slot_start"].astimezone(dt.UTC): row["n"] for row in rows}


def _lock_day(day: dt.date) -> None:
    # The INSERT of a new day row blocks a concurrent INSERT of the same day until
    # the first transaction ends; the loser then finds and locks the row.
    CallbackDay.objects.select_for_update().get_or_create(day=day)


def _free_slots(
    *,
    calendar: BusinessCalendar,
    not_before: dt.datetime,
    lock: bool,
    exclude_pk: int | None = None,
) -> Iterator[dt.datetime]:
    """Free slots at or after ``not_before``, earliest first, day by day.

    With ``lock`` each day is locked before its slots are counted (days in
    ascending order, so two bookers never wait on each other crosswise).
    Raises ``NoCapacity`` when no day within ``SEARCH_DAYS`` takes callbacks.
    """
    length = slot_length()
    first = timezone.localtime(calendar.next_open(not_before), calendar.tz).date()
    last = first + dt.timedelta(days=SEARCH_DAYS - 1)
    weekday_cap, date_cap = _capacities(first, last)
    any_capacity = False
    day = first
    while day <= last:
        openings = calendar.openings(day, day)
        capacity = capacity_for(day, weekday_cap, date_cap)
        if openings and capacity > 0:
            any_capacity = True
            slots = [s.astimezone(dt.UTC) for s in slot_starts(openings, length)]
            if slots and slots[-1] >= not_before:
                if lock:
                    _lock_day(day)
                booked = _booked(slots[0], slots[-1] + length, exclude_pk)
                for start in free_slots(slots, booked, capacity, not_before=not_before):
                    yield start.astimezone(calendar.tz)
        day += dt.timedelta(days=1)
    if not any_capacity:
        raise NoCapacity(
            _(
                "No phone day in the next %(weeks)d weeks takes callbacks (the capacity is 0). "
                "A manager can set the callback capacity."
            )
            % {"weeks": SEARCH_DAYS // 7}
        )
    raise NoCapacity(
        _("Every callback slot in the next %(weeks)d weeks is full.") % {"weeks": SEARCH_DAYS // 7}
    )


def callback_choices(
    *, not_before: dt.datetime, count: int = CHOICES_OFFERED, exclude_pk: int | None = None
) -> list[dt.datetime]:
    """The next ``count`` free slots at or after ``not_before`` (for offering to a caller)."""
    not_before = _aware(not_before, _("time"))
    found: list[dt.datetime] = []
    try:
        for start in _free_slots(
            calendar=phone_hours(), not_before=not_before, lock=False, exclude_pk=exclude_pk
        ):
            found.append(start)
            if len(found) == count:
                break
    except NoCapacity:
        pass
    return found


def _first_free_slot(
    *, calendar: BusinessCalendar, not_before: dt.datetime, exclude_pk: int | None = None
) -> dt.datetime:
    return next(
        _free_slots(calendar=calendar, not_before=not_before, lock=True, exclude_pk=exclude_pk)
    )


def _requested_slot(
    *, calendar: BusinessCalendar, requested_at: dt.datetime, now: dt.datetime
) -> dt.datetime:
    """The slot holding ``requested_at``, locked and checked; else ``SlotUnavailable``."""
    not_before = max(requested_at, now)
    if requested_at < now:
        raise SlotUnavailable(
            _("The time asked for has already passed. Choose one of the next free times."),
            callback_choices(not_before=calendar.next_open(not_before)),
        )
    day = timezone.localtime(requested_at, calendar.tz).date()
    length = slot_length()
    slot = slot_containing(requested_at, calendar.openings(day, day), length)
    if slot is None:
        raise SlotUnavailable(
            _("The time asked for is outside phone hours. Choose one of the next free times."),
            callback_choices(not_before=not_before),
        )
    weekday_cap, date_cap = _capacities(day, day)
    capacity = capacity_for(day, weekday_cap, date_cap)
    _lock_day(day)
    booked = _booked(slot, slot + length, None).get(slot.astimezone(dt.UTC), 0)
    if booked >= capacity:
        raise SlotUnavailable(
            _("No callback can be added at the time asked for: that slot is full.")
            if capacity > 0
            else _("No callbacks are made on that day."),
            callback_choices(not_before=not_before),
        )
    return slot


# --- Booking -------------------------------------------------------------------------------


@transaction.atomic
def callback_schedule(
    *,
    case: Case,
    number: str,
    actor: AbstractBaseUser | None,
    requested_at: dt.datetime | None = None,
    requested_by_caller: bool = False,
    now: dt.datetime | None = None,
) -> Callback:
    """Book a callback for ``case`` to ``number``.

    Without ``requested_at``: the earliest slot with room at or after the next
    opening of phone hours. With it: the slot holding that time, if it lies
    inside phone hours and has room; else ``SlotUnavailable`` carrying the
    next free slots to offer. Closed and resolved cases get no callback.
    """
    now = _aware(now, _("current time"))
    if requested_at is not None:
        requested_at = _aware(requested_at, _("time asked for"))
        if requested_at - now > BOOKING_HORIZON:
            raise InvalidTime(
                _("A callback can be booked at most %(days)d days ahead.")
                % {"days": BOOKING_HORIZON.days}
            )
    if case.status not in Status.active():
        raise CaseNotActive(
            _("%(reference)s is %(status)s; a callback needs an open case.")
            % {"reference": case.reference, "status": case.get_status_display().lower()}
        )
    try:
        number = normalise(number)
    except ValidationError as exc:
        raise CallbackError(" ".join(exc.messages)) from exc

    calendar = phone_hours()
    if requested_at is not None:
        slot = _requested_slot(calendar=calendar, requested_at=requested_at, now=now)
    else:
        slot = _first_free_slot(calendar=calendar, not_before=calendar.next_open(now))
    callback = Callback(
        case=case,
        number=number,
        slot_start=slot,
        slot_minutes=settings.CALLBACK_SLOT_MINUTES,
        promised_slot_start=slot,
        promised_slot_end=slot + dt.timedelta(minutes=settings.CALLBACK_SLOT_MINUTES),
        requested_by_caller=requested_by_caller or requested_at is not None,
        requested_at=requested_at,
        created_at=now,
        created_by=actor,
    )
    callback.full_clean()
    callback.save()
    return callback


@transaction.atomic
def callback_for_call(
    *,
    call: PhoneCall,
    actor: AbstractBaseUser | None,
    requested_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Callback | None:
    """Book the callback a logged call calls for (see ``callbacks.callback_needed``), if any.

    A caller who asked (outcome "callback requested", or a time given) gets the
    time asked for or the first free one; an incoming call outside phone hours
    gets the first free one. Without a number there is no one to call back.
    """
    caller_asked = call.outcome == CallOutcome.CALLBACK or requested_at is not None
    inbound = call.direction == CallDirection.INBOUND
    if not callback_needed(
        inbound=inbound, inside_phone_hours=call.inside_phone_hours, caller_asked=caller_asked
    ):
        return None
    if not call.number:
        if caller_asked:
            raise CallbackError(_("A callback needs the number to call back."))
        return None
    return callback_schedule(
        case=call.case,
        number=call.number,
        actor=actor,
        requested_at=requested_at,
        requested_by_caller=caller_asked,
        now=now,
    )


# --- Working the queue ------------------------------------------------------------------


@transaction.atomic
def callback_claim(
    *, callback: Callback, actor: AbstractBaseUser, now: dt.datetime | None = None
) -> Callback:
    """Lock the callback to ``actor``; anyone else claiming it gets ``AlreadyClaimed``.

    One conditional UPDATE decides: only a scheduled, unclaimed row changes,
    so of two people claiming at once exactly one succeeds.
    """
    now = _aware(now, _("current time"))
    won = Callback.objects.filter(
        pk=callback.pk, claimed_by__isnull=True, state=CallbackState.SCHEDULED
    ).update(claimed_by=actor, claimed_at=now, state=CallbackState.IN_PROGRESS)
    current = Callback.objects.select_related("claimed_by").get(pk=callback.pk)
    mine = current.state == CallbackState.IN_PROGRESS and current.claimed_by_id == actor.pk
    if won != 1 and not mine:
        if current.state == CallbackState.IN_PROGRESS and current.claimed_by_id is not None:
            who = current.claimed_by.get_full_name() or current.claimed_by.get_username()
            raise AlreadyClaimed(_("%(name)s is already making this callback.") % {"name": who})
        raise CallbackError(
            _("This callback is %(state)s and can no longer be claimed.")
            % {"state": current.get_state_display().lower()}
        )
    for name in ("claimed_by_id", "claimed_at", "state"):
        setattr(callback, name, getattr(current, name))
    return callback


@dataclass(frozen=True)
class OutcomeResult:
    callback: Callback
    #: Where a callback without answer went (None when it did not move).
    moved_to: dt.datetime | None = None
    #: True when the attempts ran out: the caller should be emailed instead.
    gave_up: bool = False


@transaction.atomic
def callback_record_outcome(
    *,
    callback: Callback,
    actor: AbstractBaseUser,
    outcome: str,
    notes: str = "",
    resolve_case: bool = False,
    now: dt.datetime | None = None,
) -> OutcomeResult:
    """Record how a callback went; every attempt is an outgoing call on the case's timeline.

    * reached: done; the case is resolved when asked, else it stays open;
    * no answer: one more attempt; moved to the next free slot, or, after
      ``MAX_ATTEMPTS``, ended and the case flagged (a note, and urgent) so the
      caller is emailed instead;
    * wrong number: cancelled, with a note on the case.
    """
    now = _aware(now, _("current time"))
    if outcome not in CallbackOutcome.values:
        raise CallbackError(_("Choose how the callback went."))
    current = Callback.objects.select_for_update().select_related("case").get(pk=callback.pk)
    if not current.is_open:
        raise CallbackError(
            _("This callback is already %(state)s.")
            % {"state": current.get_state_display().lower()}
        )
    if current.claimed_by_id not in (None, actor.pk):
        raise AlreadyClaimed(_("Someone else is making this callback."))
    case = current.case
    notes = notes.strip()
    moved_to: dt.datetime | None = None
    gave_up = False

    def log(call_outcome: str) -> None:
        call_log(
            case=case,
            actor=actor,
            call=CallDetails(
                number=current.number,
                started_at=now,
                notes=notes,
                outcome=call_outcome,
                direction=CallDirection.OUTBOUND,
            ),
        )

    current.claimed_by = actor
    current.claimed_at = current.claimed_at or now
    if notes:
        current.outcome_notes = "\n".join(filter(None, [current.outcome_notes, notes]))
    if outcome == CallbackOutcome.REACHED:
        log(CallOutcome.ANSWERED)
        current.state = CallbackState.DONE
        current.completed_at = now
        if resolve_case and case.status in Status.active():
            case_update(case=case, actor=actor, status=Status.RESOLVED, at=now)
    elif outcome == CallbackOutcome.NO_ANSWER:
        log(CallOutcome.NO_ANSWER)
        current.attempts += 1
        if attempts_exhausted(current.attempts):
            # The case is flagged: a note says why, and it becomes urgent so the
            # email to the caller is answered within the urgent target.
            gave_up = True
            current.state = CallbackState.NO_ANSWER
            if case.priority != Priority.URGENT and case.status in Status.active():
                case_update(case=case, actor=actor, priority=Priority.URGENT, at=now)
            current.completed_at = now
            note_add(
                case=case,
                author=actor,
                body=_(
                    "Callback to %(number)s: no answer after %(attempts)d attempts. "
                    "Email the caller instead."
                )
                % {"number": current.number, "attempts": MAX_ATTEMPTS},
            )
        else:
            calendar = phone_hours()
            moved_to = _first_free_slot(
                calendar=calendar,
                not_before=calendar.next_open(now + dt.timedelta(microseconds=1)),
                exclude_pk=current.pk,
            )
            current.slot_start = moved_to
            current.state = CallbackState.SCHEDULED
            current.claimed_by = None
            current.claimed_at = None
    else:
        log(CallOutcome.WRONG_NUMBER)
        current.state = CallbackState.CANCELLED
        current.completed_at = now
        note_add(
            case=case,
            author=actor,
            body=_("Callback cancelled: %(number)s is a wrong number.") % {"number": current.number}
            + (f"\n{notes}" if notes else ""),
        )
    current.save()
    return OutcomeResult(callback=current, moved_to=moved_to, gave_up=gave_up)


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
    now = _aware(now, _("current time"))
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
        callback.slot_start = _first_free_slot(
            calendar=calendar, not_before=start, exclude_pk=callback.pk
        )
        callback.state = CallbackState.SCHEDULED
        callback.save(update_fields=["slot_start", "state", "claimed_by", "claimed_at"])
        moved.append(callback)
    return moved


def digest_recipients() -> list[AbstractBaseUser]:
    """Active staff members and managers who have an email address."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name__in=[STAFF_GROUP, MANAGER_GROUP])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def callback_digest_send(*, now: dt.datetime | None = None) -> int:
    """Mail every staff member and manager the day's callback queue; returns mails sent."""
    from scheduling.selectors import callback_queue

    now = _aware(now, _("current time"))
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
    messages = []
    for user in recipients:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return get_connection().send_messages(messages) or 0


@dataclass(frozen=True)
class MorningRun:
    moved: list[Callback] = field(default_factory=list)
    mailed: int = 0


def callbacks_morning(*, now: dt.datetime | None = None) -> MorningRun:
    """Before the phone opens: move missed callbacks, then mail the day's queue.

    The digest is only sent on phone days (the schedule runs Monday to Thursday,
    and a public holiday among them has no queue to work).
    """
    now = _aware(now, _("current time"))
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
        now=_aware(now, _("current time")),
        schedule_model=schedule_model,
    )
