"""A missed call's hangup is answered at once; its case and callback are the worker's.

Each test posts the events with the commit's follow-up held back (the event's
transaction has committed, the worker has not run yet) and then runs what the
commit queued, so the moment in between can be looked at.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import TestCase
from django.utils import timezone

from cases.models import CallOutcome, Case, PhoneCall
from scheduling.models import Callback, CallbackState
from telephony import tasks
from telephony.events import cti_event_receive
from telephony.missed import FOLLOW_UP_LATE_AFTER
from telephony.models import Call, PhoneSystem
from telephony.payloads import zammad_event
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.bridge import zammad
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LOG = "/telephony/calls/"


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


@pytest.fixture
def system():
    return PhoneSystemFactory()


@pytest.fixture
def jan():
    return CallerCaseFactory()  # the caller of bridge.zammad's number, with a case


def event(system, call_id, kind, **extra):
    """One event, committed, with what its commit queued returned, not run (the worker's)."""
    data = zammad(kind, call_id, **extra)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        answer = cti_event_receive(
            system=system, event=zammad_event(data), payload=data, now=timezone.now()
        )
    assert answer == {}
    return queued


def run(queued):
    """The worker takes up what was queued (django-q runs it at once in the tests)."""
    for task in queued:
        task()


def follow_ups(queued):
    """The call pks whose follow-up the commit queued (the worker is not run)."""
    with mock.patch("telephony.missed.enqueue") as enqueue:
        run(queued)
    return [c.kwargs["call_pk"] for c in enqueue.call_args_list]


def missed_hangup(system, call_id="m-1"):
    run(event(system, call_id, "newCall"))  # a newCall queues no follow-up
    return event(system, call_id, "hangup", cause="noAnswer")


def test_the_hangup_stores_the_call_missed_and_leaves_the_booking_to_the_worker(
    system, jan, staff_client
):
    queued = missed_hangup(system)

    call = Call.objects.get(call_id="m-1")
    assert call.missed and call.callback is None and call.phone_call is None
    assert not Callback.objects.exists()
    assert follow_ups(queued) == [call.pk]
    page = staff_client.get(LOG, {"show": "missed"})  # the caller log shows it at once
    assert [c.call_id for c in page.context["calls"]] == ["m-1"]

    run(queued)

    call.refresh_from_db()
    assert call.callback.state == CallbackState.SCHEDULED
    assert call.callback.number == "+31546123456"
    assert call.callback.case.contact == jan.contact
    assert call.phone_call.case == call.callback.case
    assert call.phone_call.outcome == CallOutcome.NO_ANSWER


def test_an_answer_before_the_worker_ran_leaves_nothing_to_book(system, jan):
    queued = missed_hangup(system)
    cases = Case.objects.count()

    run(event(system, "m-1", "answer"))  # arrived after the hangup, before the worker
    run(queued)

    call = Call.objects.get(call_id="m-1")
    assert not call.missed and call.callback is None and call.phone_call is None
    assert not Callback.objects.exists()
    assert Case.objects.count() == cases
    assert not PhoneCall.objects.filter(outcome=CallOutcome.NO_ANSWER).exists()


def test_an_answer_after_the_worker_booked_cancels_the_callback(system, jan):
    run(missed_hangup(system))

    run(event(system, "m-1", "answer"))

    call = Call.objects.select_related("phone_call").get(call_id="m-1")
    assert not call.missed and call.callback is None
    assert Callback.objects.get().state == CallbackState.CANCELLED
    assert call.phone_call.outcome == CallOutcome.ANSWERED


def test_the_follow_up_run_twice_books_once(system, jan):
    queued = missed_hangup(system)

    run(queued)
    run(queued)  # a retry of the task, say
    pk = Call.objects.get(call_id="m-1").pk
    callback = Callback.objects.get()
    assert tasks.missed_call_follow_up(call_pk=pk) == f"missed call {pk}: callback {callback.pk}"

    assert Callback.objects.count() == 1
    assert PhoneCall.objects.filter(outcome=CallOutcome.NO_ANSWER).count() == 1


def test_a_repeated_hangup_queues_nothing(system, jan):
    run(missed_hangup(system))

    assert follow_ups(event(system, "m-1", "hangup", cause="noAnswer")) == []
    assert Callback.objects.count() == 1


def test_a_second_missed_call_joins_the_callback_the_worker_booked(system, jan):
    run(missed_hangup(system, "m-1"))
    run(missed_hangup(system, "m-2"))

    callback = Callback.objects.get()
    assert set(callback.telephony_calls.values_list("call_id", flat=True)) == {"m-1", "m-2"}


def test_switched_off_before_the_worker_ran_books_nothing(system, jan):
    queued = missed_hangup(system)

    PhoneSystem.objects.filter(pk=system.pk).update(book_missed_callbacks=False)
    run(queued)

    call = Call.objects.get(call_id="m-1")
    assert call.missed and call.callback is None and call.phone_call is None
    assert not Callback.objects.exists()


def test_switched_off_or_anonymous_queues_nothing(system, jan):
    assert follow_ups(event(system, "a-1", "hangup", caller="anonymous", cause="noAnswer")) == []
    off = PhoneSystemFactory(book_missed_callbacks=False)
    assert follow_ups(event(off, "o-1", "hangup", cause="noAnswer")) == []
    assert Call.objects.filter(missed=True).count() == 2


def test_a_follow_up_the_broker_lost_is_made_by_the_five_minute_job(system, jan, time_machine):
    with mock.patch("telephony.missed.enqueue", side_effect=ConnectionError("broker down")):
        run(missed_hangup(system))
    assert not Callback.objects.exists()  # the failed queueing was logged, nothing booked

    assert "0 missed calls followed up" in tasks.unlogged_calls_log()  # not late yet
    time_machine.shift(FOLLOW_UP_LATE_AFTER)
    assert "1 missed calls followed up" in tasks.unlogged_calls_log()

    assert Call.objects.get(call_id="m-1").callback == Callback.objects.get()
