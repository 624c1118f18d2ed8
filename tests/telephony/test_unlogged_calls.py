"""An answered call that nobody logs goes on the timeline of the case it belongs to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import CallOutcome, Case, PhoneCall, Status
from telephony.events import AlreadyLogged, call_log_from_event
from telephony.models import Call, Extension
from telephony.schedules import UNLOGGED_SCHEDULE_NAME, unlogged_schedule_ensure
from telephony.tasks import unlogged_calls_log as unlogged_task
from telephony.unlogged import UNLOGGED_AFTER, unlogged_calls_log
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.events import ring
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TEN = local(2026, 11, 30, 10)


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(TEN, tick=False)


@pytest.fixture
def system():
    return PhoneSystemFactory()


@pytest.fixture
def sanne(staff_user):
    Extension.objects.create(user=staff_user, number="201")
    return staff_user


def talk(system, call_id, time_machine, *, minutes=4, **extra):
    """A call rung at ten, answered, and ended ``minutes`` later."""
    ring(system, call_id, **extra)
    ring(system, call_id, event="answer", **extra)
    time_machine.move_to(TEN + dt.timedelta(minutes=minutes), tick=False)
    ring(system, call_id, event="hangup", cause="normalClearing", **extra)
    return Call.objects.get(call_id=call_id)


def later(time_machine, minutes):
    time_machine.move_to(TEN + dt.timedelta(minutes=minutes), tick=False)
    return timezone.now()


def test_an_unlogged_answered_call_goes_on_the_callers_open_case(system, sanne, time_machine):
    older = CallerCaseFactory(created_at=local(2026, 11, 2, 10))
    latest = CallerCaseFactory(contact=older.contact, created_at=local(2026, 11, 20, 10))
    resolved = CallerCaseFactory(contact=older.contact, created_at=TEN)
    Case.objects.filter(pk=resolved.pk).update(status=Status.RESOLVED)
    call = talk(system, "c-1", time_machine)

    assert unlogged_calls_log(now=later(time_machine, 20)) == 1

    call.refresh_from_db()
    record = call.phone_call
    assert record.case == latest
    assert (record.outcome, record.logged_by, record.number) == (
        CallOutcome.ANSWERED,
        None,
        "+31546123456",
    )
    assert record.duration == dt.timedelta(minutes=4)
    assert record.started_at == TEN and record.inside_phone_hours
    assert "Answered by Sanne de Vries" in record.notes


def test_a_caller_without_an_open_case_gets_a_new_phone_case(system, sanne, time_machine):
    call = talk(system, "c-1", time_machine, caller="06 87654321")

    unlogged_calls_log(now=later(time_machine, 20))

    case = Case.objects.get()
    assert case.subject == "Call from 06 87654321"
    assert case.calls.get() == Call.objects.get(pk=call.pk).phone_call


def test_staff_have_a_quarter_of_an_hour_to_log_it_themselves(system, sanne, time_machine):
    CallerCaseFactory()
    talk(system, "c-1", time_machine)

    assert unlogged_calls_log(now=later(time_machine, 4) + UNLOGGED_AFTER / 2) == 0
    assert PhoneCall.objects.count() == 0


def test_a_call_staff_logged_is_not_logged_again(staff_client, system, sanne, time_machine):
    case = CallerCaseFactory()
    call = talk(system, "c-1", time_machine)
    later(time_machine, 10)  # logged after the hangup, within the quarter of an hour
    response = staff_client.post(
        f"/telephony/calls/{call.pk}/log/",
        {
            "case": case.reference,
            "number": "0546 123456",
            "direction": "in",
            "started_at": "2026-11-30T10:00",
            "notes": "Vraag over de audit",
            "outcome": "answered",
            "priority": "normal",
            "contact": case.contact.pk,
        },
    )
    assert response.status_code == 302

    assert unlogged_calls_log(now=later(time_machine, 60)) == 0
    logged = PhoneCall.objects.get()
    assert logged.notes == "Vraag over de audit"
    assert logged.duration == dt.timedelta(minutes=4)


def test_a_call_logged_by_the_phone_system_is_not_logged_twice(system, sanne, time_machine):
    CallerCaseFactory()
    call = talk(system, "c-1", time_machine)
    now = later(time_machine, 30)
    unlogged_calls_log(now=now)

    assert unlogged_calls_log(now=now) == 0
    with pytest.raises(AlreadyLogged):
        call_log_from_event(call=Call.objects.get(pk=call.pk), actor=sanne, take={})
    assert PhoneCall.objects.count() == 1


def test_missed_and_unanswered_calls_are_left_to_the_missed_call_path(system, time_machine):
    CallerCaseFactory()
    ring(system, "m-1")
    ring(system, "m-1", event="hangup", cause="noAnswer")
    ring(system, "ringing")  # still going

    assert unlogged_calls_log(now=later(time_machine, 60)) == 0
    assert PhoneCall.objects.count() == 1  # the missed call's own line


def test_the_schedule_runs_the_task_every_five_minutes(system, sanne, time_machine):
    schedule = unlogged_schedule_ensure()
    unlogged_schedule_ensure()
    CallerCaseFactory()
    talk(system, "c-1", time_machine)
    later(time_machine, 30)

    assert (schedule.name, schedule.minutes) == (UNLOGGED_SCHEDULE_NAME, 5)
    assert type(schedule).objects.filter(name=UNLOGGED_SCHEDULE_NAME).count() == 1
    assert unlogged_task() == (
        "1 answered calls logged by the phone system, 0 missed calls followed up"
    )
