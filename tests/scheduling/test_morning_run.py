"""The phone-day morning run: missed callbacks moved, the day's queue mailed, the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule

from cases.models import Status
from cases.services import case_update
from scheduling import tasks
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.morning import (
    MORNING_CRON,
    MORNING_SCHEDULE_NAME,
    callbacks_morning,
    morning_schedule_ensure,
)
from scheduling.callbacks.queue import callback_claim
from scheduling.models import Callback, CallbackState
from tests.factories import CallerCaseFactory, UserFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


MONDAY_0800 = local(2026, 11, 30, 8, 0)


def missed_callbacks(count: int) -> list[Callback]:
    """Callbacks booked for last Thursday that nobody made."""
    case = CallerCaseFactory()
    return [
        callback_schedule(
            case=case, number="+31546123456", actor=None, now=local(2026, 11, 25, 13, 0)
        )
        for _ in range(count)
    ]


@pytest.fixture
def staff_with_email(staff_user, manager_user):
    staff_user.email = "sanne@pso-nederland.nl"
    staff_user.save()
    manager_user.email = "marco@pso-nederland.nl"
    manager_user.save()
    # Not in either role: gets no digest.
    UserFactory(username="gast", email="gast@example.org")
    return staff_user, manager_user


def test_callbacks_missed_on_earlier_days_move_to_the_earliest_free_slots(staff_user):
    missed = missed_callbacks(3)
    assert {c.slot_start for c in missed} == {
        local(2026, 11, 26, 8, 30),
        local(2026, 11, 26, 8, 45),
    }
    callback_claim(callback=missed[0], actor=staff_user, now=local(2026, 11, 26, 8, 31))

    run = callbacks_morning(now=MONDAY_0800)

    assert len(run.moved) == 3
    slots = sorted(Callback.objects.values_list("slot_start", flat=True))
    assert slots == [
        local(2026, 11, 30, 8, 30),
        local(2026, 11, 30, 8, 30),
        local(2026, 11, 30, 8, 45),
    ]
    # A claim left over from Thursday is released.
    assert set(Callback.objects.values_list("state", flat=True)) == {CallbackState.SCHEDULED}
    assert not Callback.objects.filter(claimed_by__isnull=False).exists()


def test_todays_callbacks_are_not_moved():
    case = CallerCaseFactory()
    today = callback_schedule(
        case=case, number="+31546123456", actor=None, now=local(2026, 11, 27, 9)
    )
    callbacks_morning(now=MONDAY_0800)
    today.refresh_from_db()
    assert today.slot_start == local(2026, 11, 30, 8, 30)


def test_missed_callbacks_of_closed_cases_are_cancelled_not_moved():
    missed = missed_callbacks(1)[0]
    case_update(case=missed.case, actor=None, status=Status.CLOSED)
    run = callbacks_morning(now=MONDAY_0800)
    missed.refresh_from_db()
    assert run.moved == []
    assert missed.state == CallbackState.CANCELLED


def test_the_digest_is_mailed_to_every_staff_member_and_manager(staff_with_email):
    missed_callbacks(2)
    run = callbacks_morning(now=MONDAY_0800)
    assert run.mailed == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "marco@pso-nederland.nl",
        "sanne@pso-nederland.nl",
    ]
    message = mail.outbox[0]
    # The digest is written in the helpdesk's language (Dutch), day names in lower case.
    assert "30 november" in message.subject
    assert "Maandag" not in message.subject
    assert "Jan Jansen" in message.body
    assert "0546" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Gemeente Almelo" in html


def test_no_digest_on_a_day_without_phone_hours(staff_with_email):
    # Thursday 14 May 2026 is Ascension Day: the schedule fires but the phone is closed.
    run = callbacks_morning(now=local(2026, 5, 14, 8, 0))
    assert run.mailed == 0
    assert mail.outbox == []


def test_the_schedule_is_created_once_whatever_how_often_it_is_ensured():
    morning_schedule_ensure(now=local(2026, 11, 27, 12))
    morning_schedule_ensure(now=local(2026, 11, 27, 12))
    schedule = Schedule.objects.get(name=MORNING_SCHEDULE_NAME)
    assert Schedule.objects.filter(name=MORNING_SCHEDULE_NAME).count() == 1
    assert schedule.schedule_type == Schedule.CRON
    assert schedule.cron == MORNING_CRON
    assert schedule.func == "scheduling.tasks.callbacks_morning"
    # Friday noon: the next run is Monday 08:00 Dutch time.
    assert schedule.next_run == local(2026, 11, 30, 8, 0)


def test_the_schedule_runs_at_0800_dutch_time_after_the_spring_clock_change():
    schedule = morning_schedule_ensure(now=local(2027, 3, 26, 12))
    assert schedule.next_run == local(2027, 3, 29, 8, 0)
    assert schedule.next_run.astimezone(dt.UTC).hour == 6


def test_the_command_runs_the_morning_and_installs_the_schedule(staff_with_email, time_machine):
    time_machine.move_to(MONDAY_0800, tick=False)
    missed_callbacks(1)
    call_command("callbacks_morning")
    assert len(mail.outbox) == 2
    Schedule.objects.all().delete()
    call_command("callbacks_morning", "--install-schedule")
    call_command("callbacks_morning", "--install-schedule")
    assert Schedule.objects.filter(name=MORNING_SCHEDULE_NAME).count() == 1


def test_the_task_calls_the_morning_service(staff_with_email, time_machine):
    time_machine.move_to(MONDAY_0800, tick=False)
    missed_callbacks(1)
    assert tasks.callbacks_morning() == "moved 1 callbacks, mailed 2 digests"
