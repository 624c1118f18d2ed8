"""Demo cases over the last three months: calls (some outside phone hours), mail, notes, status.

Phone cases come in during phone hours, except the out-of-hours ones (on a Friday, or in an
afternoon), which leave a message and get a callback. Mail and web cases come in all day; a
quarter of them are answered by phone in the next phone hours. Older cases are mostly resolved
or closed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from cases import services
from cases.models import (
    CallDirection,
    CallOutcome,
    Case,
    Channel,
    Contact,
    Organisation,
    Priority,
    Status,
)
from helpdesk.demo.callbacks import demo_callback_made
from helpdesk.demo.mail import demo_mail_thread
from helpdesk.demo.run import DemoRun
from helpdesk.demo.texts import NOTES, SUBJECTS

DAYS_BACK = 90


def moment(run: DemoRun, day: dt.date, start: dt.time, end: dt.time) -> dt.datetime:
    """A random minute of ``day`` between the local times ``start`` and ``end``, in UTC."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    offset = run.rng.randrange(max(minutes, 1))
    local = dt.datetime.combine(day, start, tzinfo=run.zone) + dt.timedelta(minutes=offset)
    return local.astimezone(dt.UTC)


def working_day(run: DemoRun) -> dt.date:
    """A day of the last :data:`DAYS_BACK`, nearly always Monday to Friday."""
    while True:
        day = run.today - dt.timedelta(days=run.rng.randrange(1, DAYS_BACK))
        if day.weekday() < 5 or run.rng.random() < 0.05:
            return day


def next_phone_slot(run: DemoRun, after: dt.datetime) -> dt.datetime:
    """A moment in the next phone hours (Monday–Thursday 08:30–12:30) after ``after``."""
    day = timezone.localdate(after) + dt.timedelta(days=1)
    while day.weekday() > 3:
        day += dt.timedelta(days=1)
    return moment(run, day, dt.time(8, 30), dt.time(12, 0))


def demo_case_make(run: DemoRun, org: Organisation | None, contact: Contact, number: str) -> None:
    """One case of the last months, with its call, callback, note and later status."""
    rng = run.rng
    staff, manager = run.staff, run.manager
    slug = rng.choice(list(SUBJECTS))
    channel = rng.choices([Channel.PHONE, Channel.EMAIL, Channel.WEB], weights=[6, 3.5, 0.5])[0]
    day = working_day(run)
    # Calls on a Friday, or in an afternoon, come in outside phone hours.
    out_of_hours = channel == Channel.PHONE and (rng.random() < 0.15 or day.weekday() > 3)
    if out_of_hours:
        opened = moment(run, day, dt.time(8, 0), dt.time(16, 45))
        if day.weekday() <= 3 and timezone.localtime(opened, run.zone).time() < dt.time(12, 30):
            opened = moment(run, day, dt.time(13, 0), dt.time(16, 45))
    elif channel == Channel.PHONE:
        opened = moment(run, day, dt.time(8, 30), dt.time(12, 25))
    else:
        opened = moment(run, day, dt.time(7, 30), dt.time(21, 0))
    assignee = rng.choice([staff, staff, staff, manager, None])
    if channel == Channel.EMAIL:
        demo_mail_case_make(run, contact, slug, opened, assignee, number)
        return
    case = services.case_open(
        subject=rng.choice(SUBJECTS[slug]),
        channel=channel,
        actor=staff,
        organisation=org,
        contact=contact,
        category=run.categories.get(slug),
        priority=Priority.URGENT if rng.random() < 0.1 else Priority.NORMAL,
        description="",
        assignee=assignee,
        created_at=opened,
    )
    worker = assignee or staff
    if channel == Channel.PHONE:
        services.call_log(
            case=case,
            actor=staff,
            call=services.CallDetails(
                number=number,
                started_at=opened,
                duration=dt.timedelta(minutes=rng.randrange(2, 15)),
                outcome=CallOutcome.MESSAGE if out_of_hours else CallOutcome.ANSWERED,
                notes="Buiten de telefonische openingstijden: terugbelverzoek."
                if out_of_hours
                else "",
            ),
        )
    answered = opened + dt.timedelta(hours=rng.randrange(1, 30))
    if out_of_hours:
        answered = demo_callback_made(run, case, worker, number, opened)
    elif channel != Channel.PHONE and rng.random() < 0.25:
        answered = next_phone_slot(run, opened)
        if answered < run.now:
            _called_back(run, case, worker, number, answered)
    _noted_perhaps(run, case, worker, answered)
    demo_case_progress(run, case, worker, answered)


def _called_back(
    run: DemoRun, case: Case, worker: AbstractBaseUser, number: str, at: dt.datetime
) -> None:
    """The caller called back at ``at``, a call of a few minutes on the case."""
    services.call_log(
        case=case,
        actor=worker,
        call=services.CallDetails(
            number=number,
            started_at=at,
            duration=dt.timedelta(minutes=run.rng.randrange(3, 20)),
            direction=CallDirection.OUTBOUND,
        ),
    )


def _noted_perhaps(
    run: DemoRun, case: Case, worker: AbstractBaseUser, answered: dt.datetime
) -> None:
    """Most answered cases get a note five minutes after the answer."""
    if answered < run.now and run.rng.random() < 0.6:
        services.note_add(
            case=case,
            author=worker,
            body=run.rng.choice(NOTES),
            at=answered + dt.timedelta(minutes=5),
        )


def demo_mail_case_make(
    run: DemoRun,
    contact: Contact,
    slug: str,
    opened: dt.datetime,
    assignee: AbstractBaseUser | None,
    number: str,
) -> Case:
    """A case that came in by mail, with its thread: the customer's mail and the
    acknowledgement, then an answer by mail (and often the customer's reply to it), or,
    for a quarter of them, a call in the next phone hours."""
    rng = run.rng
    worker = assignee or run.staff
    by_phone = rng.random() < 0.25
    answered = (
        next_phone_slot(run, opened)
        if by_phone
        else opened + dt.timedelta(hours=rng.randrange(1, 30))
    )
    case = demo_mail_thread(
        run,
        contact,
        rng.choice(SUBJECTS[slug]),
        opened,
        worker,
        answered=None if by_phone else answered,
        customer_replies=rng.random() < 0.4,
    )
    services.case_update(
        case=case,
        actor=run.staff,
        at=opened + dt.timedelta(minutes=20),
        assignee=assignee,
        category=run.categories.get(slug),
        priority=Priority.URGENT if rng.random() < 0.1 else case.priority,
    )
    if by_phone and answered < run.now:
        _called_back(run, case, worker, number, answered)
    _noted_perhaps(run, case, worker, answered)
    case.refresh_from_db()
    demo_case_progress(run, case, worker, answered)
    return case


def demo_case_progress(
    run: DemoRun, case: Case, worker: AbstractBaseUser, answered: dt.datetime
) -> None:
    """Older cases are mostly resolved or closed; some wait on the customer."""
    age = (run.now - case.created_at).days
    roll = run.rng.random()
    steps: list[str] = []
    if age > 14 and roll < 0.8:
        steps = [Status.RESOLVED if roll < 0.55 else Status.CLOSED]
        if roll < 0.05:
            steps = [Status.WAITING, Status.RESOLVED]
    elif age > 3 and roll < 0.25:
        steps = [Status.WAITING]
    elif age > 3 and roll < 0.3:
        steps = [Status.WAITING, Status.OPEN]
    at = max(answered, case.created_at) + dt.timedelta(hours=2)
    for status in steps:
        if at >= run.now:
            return
        services.case_update(case=case, actor=worker, status=status, at=at)
        at += dt.timedelta(days=run.rng.randrange(1, 6))
