"""An answer that arrives after its hangup: the end state does not depend on the order.

A call the hangup made "missed" (a callback booked, a missed-call line on a case)
was answered after all when its answer comes later: in every order of arrival,
and with repeats, it ends not missed, with no callback to make, on the timeline
once as answered.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import TestCase
from django.utils import timezone

from cases.models import CallOutcome, Note, PhoneCall
from scheduling.models import Callback, CallbackState
from telephony.events import cti_event_receive
from telephony.models import Call, Extension
from telephony.payloads import voys_event
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.bridge import voys
from tests.telephony.events import ring
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW_CALL = ("newCall", {})
ANSWER = ("answer", {})
MISSED_HANGUP = ("hangup", {"cause": "noAnswer"})


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


@pytest.fixture
def system():
    return PhoneSystemFactory()


@pytest.fixture
def jan(staff_user):
    Extension.objects.create(user=staff_user, number="201")
    return CallerCaseFactory()


def post(system, call_id, events):
    for kind, extra in events:
        ring(system, call_id, event=kind, **extra)
    return Call.objects.select_related("phone_call", "callback").get(call_id=call_id)


def open_callbacks():
    return Callback.objects.filter(state__in=CallbackState.open())


@pytest.mark.parametrize(
    "order",
    list(itertools.permutations([NEW_CALL, ANSWER, MISSED_HANGUP])),
    ids=lambda order: "→".join(kind for kind, _ in order),
)
def test_an_answered_call_books_no_callback_in_any_order(system, jan, order):
    call = post(system, "c-1", order)

    assert not call.missed
    assert call.callback is None
    assert not open_callbacks().exists()
    assert not PhoneCall.objects.filter(outcome=CallOutcome.NO_ANSWER).exists()


def test_the_callback_booked_before_the_answer_came_is_cancelled_with_a_note(system, jan):
    before = post(system, "c-1", [NEW_CALL, MISSED_HANGUP])
    assert before.missed and before.callback.state == CallbackState.SCHEDULED
    booked = before.callback

    after = post(system, "c-1", [ANSWER])

    booked.refresh_from_db()
    assert booked.state == CallbackState.CANCELLED
    note = Note.objects.get(case=booked.case)
    assert "was answered after all (by Sanne de Vries)" in note.body
    assert "The callback booked for it is cancelled." in note.body
    assert after.phone_call.case == booked.case
    assert after.phone_call.outcome == CallOutcome.ANSWERED
    assert after.phone_call.logged_by is None
    assert PhoneCall.objects.count() == 1  # the missed line became the answered one


def test_repeats_in_any_place_change_nothing_more(system, jan):
    events = [NEW_CALL, MISSED_HANGUP, MISSED_HANGUP, ANSWER, NEW_CALL, ANSWER, MISSED_HANGUP]

    call = post(system, "c-1", events)

    assert not call.missed and call.callback is None
    assert Callback.objects.count() == 1 and not open_callbacks().exists()
    assert PhoneCall.objects.count() == 1
    assert Note.objects.count() == 1


def test_the_same_events_in_order_and_reversed_end_alike(system, jan):
    in_order = post(system, "in-order", [NEW_CALL, ANSWER, MISSED_HANGUP])
    reversed_ = post(system, "reversed", [MISSED_HANGUP, ANSWER, NEW_CALL])

    for call in (in_order, reversed_):
        assert (call.missed, call.callback, call.answered_by.username) == (False, None, "sanne")
        assert call.answered_at is not None and call.ended_at is not None
    assert not open_callbacks().exists()


def test_a_callback_other_missed_calls_wait_on_stays(system, jan):
    first = post(system, "first", [NEW_CALL, MISSED_HANGUP])
    post(system, "second", [NEW_CALL, MISSED_HANGUP])  # joins the first one's callback

    second = post(system, "second", [ANSWER])

    first.refresh_from_db()
    assert first.missed and first.callback.state == CallbackState.SCHEDULED
    assert not second.missed and second.callback is None
    note = Note.objects.get()
    assert "The callback stays" in note.body


def test_a_late_answer_from_voys_gives_the_duration_the_timestamps_tell(system, jan):
    def notify(status, at, **extra):
        data = voys(status, "v-1", timestamp=at.isoformat(), **extra)
        # Committed, and the missed call's follow-up run by the (synchronous) worker.
        with TestCase.captureOnCommitCallbacks(execute=True):
            cti_event_receive(
                system=system,
                event=voys_event(data, now=timezone.now()),
                payload=data,
                now=timezone.now(),
            )

    start = timezone.now()
    notify("created", start)
    notify("ended", start + dt.timedelta(minutes=5), reason="no-answer")
    assert Call.objects.get(call_id="v-1").missed
    notify("in-progress", start + dt.timedelta(minutes=1))  # sent before, arrived last

    call = Call.objects.select_related("phone_call").get(call_id="v-1")
    assert not call.missed and not open_callbacks().exists()
    assert call.duration == dt.timedelta(minutes=4)
    assert call.phone_call.duration == dt.timedelta(minutes=4)
