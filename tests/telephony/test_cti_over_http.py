"""The phone system posts its call events to the running helpdesk over HTTP, in every order.

Zammad's generic CTI payloads (JSON and form data) and Voys call notifications,
as documented in docs/telephony.md, go to the live test server through a real
socket: newCall → answer → hangup, newCall → hangup(noAnswer), every event
twice, hangup before newCall, an answer after its hangup, and events of a callId
never announced.
"""

from __future__ import annotations

import pytest

from cases.models import CallOutcome, PhoneCall
from scheduling.models import Callback
from telephony.models import BlockedNumber, Call, CallEvent, Extension
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.bridge import post, voys, zammad
from tests.timehelpers import local

pytestmark = [
    # The live server needs committed data; serialized_rollback brings back the role
    # groups, categories and callback capacity the migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def monday_morning(time_machine):
    # Monday 30 November 2026, 10:00: inside phone hours. Time runs on from there,
    # in the live server's thread too.
    time_machine.move_to(local(2026, 11, 30, 10), tick=True)


@pytest.fixture
def bridge(live_server, monday_morning, staff_user):
    system = PhoneSystemFactory()
    Extension.objects.create(user=staff_user, number="201")
    # Jan Jansen of Gemeente Almelo, +31546123456, with a case of his own.
    CallerCaseFactory()
    return {
        "zammad": f"{live_server.url}/cti/{system.token}/",
        "voys": f"{live_server.url}/cti/{system.token}/voys/",
    }


def post_all(url, events, *, form=False):
    answers = [post(url, event, form=form) for event in events]
    assert [a.status for a in answers] == [200] * len(events), [a.body for a in answers]
    return [a.body for a in answers]


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_zammad_new_call_answer_hangup_is_an_answered_call_by_the_extension(
    bridge, staff_user, form
):
    events = [zammad("newCall", "c-1"), zammad("answer", "c-1"), zammad("hangup", "c-1")]

    assert post_all(bridge["zammad"], events, form=form) == [{}, {}, {}]

    call = Call.objects.select_related("contact", "organisation").get()
    assert call.number == "+31546123456"
    assert call.contact.name == "Jan Jansen"
    assert call.organisation.name == "Gemeente Almelo"
    assert call.answered_by == staff_user
    assert call.users == ["Sanne de Vries"]
    assert call.cause == "normalClearing"
    assert call.started_at <= call.answered_at <= call.ended_at
    assert call.inside_phone_hours and not call.missed
    assert Callback.objects.count() == 0


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_zammad_new_call_then_no_answer_books_a_callback_on_a_missed_call_case(bridge, form):
    events = [zammad("newCall", "c-2"), zammad("hangup", "c-2", cause="noAnswer")]

    post_all(bridge["zammad"], events, form=form)

    call = Call.objects.select_related("callback__case", "phone_call").get()
    assert call.missed
    assert call.callback.number == "+31546123456"
    assert call.callback.case.subject.startswith("Missed call from") or "Gemiste" in (
        call.callback.case.subject
    )
    assert call.callback.case.contact.name == "Jan Jansen"
    assert call.phone_call.outcome == CallOutcome.NO_ANSWER
    assert call.phone_call.case == call.callback.case


def test_zammad_every_event_twice_is_stored_once_and_answered_alike(bridge):
    events = [zammad("newCall", "c-3"), zammad("hangup", "c-3", cause="cancel")]

    first = post_all(bridge["zammad"], events)
    again = post_all(bridge["zammad"], events + events)

    assert again == first + first
    assert Call.objects.count() == 1
    assert CallEvent.objects.count() == 2
    assert Callback.objects.count() == 1
    assert PhoneCall.objects.filter(outcome=CallOutcome.NO_ANSWER).count() == 1


def test_zammad_hangup_before_new_call_still_makes_one_missed_call(bridge):
    events = [zammad("hangup", "c-4", cause="busy"), zammad("newCall", "c-4")]

    post_all(bridge["zammad"], events)

    call = Call.objects.get()
    assert call.missed and call.cause == "busy"
    assert call.number == "+31546123456"
    assert call.ended_at >= call.started_at
    assert Callback.objects.count() == 1


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_zammad_answer_after_the_hangup_cancels_the_missed_calls_callback(bridge, form):
    events = [
        zammad("newCall", "c-late"),
        zammad("hangup", "c-late", cause="noAnswer"),
        zammad("answer", "c-late"),
        zammad("hangup", "c-late", cause="noAnswer"),  # the bridge retries
        zammad("answer", "c-late"),
    ]

    assert post_all(bridge["zammad"], events, form=form) == [{}] * 5

    call = Call.objects.select_related("phone_call").get()
    assert not call.missed and call.callback is None
    assert Callback.objects.get().state == "cancelled"
    assert call.phone_call.outcome == CallOutcome.ANSWERED
    assert PhoneCall.objects.count() == 1


def test_zammad_events_of_an_unknown_call_id_make_the_call_they_tell_of(bridge, staff_user):
    events = [zammad("answer", "never-announced"), zammad("hangup", "never-announced")]

    post_all(bridge["zammad"], events)

    call = Call.objects.get()
    assert call.call_id == "never-announced"
    assert call.answered_by == staff_user
    assert not call.missed
    assert Callback.objects.count() == 0


def test_a_second_missed_call_joins_the_callback_already_booked(bridge):
    post_all(
        bridge["zammad"], [zammad("newCall", "c-5"), zammad("hangup", "c-5", cause="noAnswer")]
    )
    post_all(bridge["zammad"], [zammad("newCall", "c-6"), zammad("hangup", "c-6", cause="cancel")])

    callback = Callback.objects.get()
    assert set(callback.telephony_calls.values_list("call_id", flat=True)) == {"c-5", "c-6"}
    assert callback.case.calls.filter(outcome=CallOutcome.NO_ANSWER).count() == 2


def test_a_blocked_number_is_rejected_and_a_retry_is_rejected_alike(bridge):
    BlockedNumber.objects.create(number="+31546123456", note="Belt elke minuut")

    first = post(bridge["zammad"], zammad("newCall", "c-7", caller="0546-123456"))
    retry = post(bridge["zammad"], zammad("newCall", "c-7", caller="0546-123456"))

    assert first.body == retry.body == {"action": "reject", "reason": "busy"}


def test_an_anonymous_missed_call_is_logged_without_a_callback(bridge):
    post_all(
        bridge["zammad"],
        [
            zammad("newCall", "c-8", caller="anonymous"),
            zammad("hangup", "c-8", caller="anonymous", cause="noAnswer"),
        ],
    )

    call = Call.objects.get()
    assert call.missed and call.anonymous
    assert call.callback is None
    assert Callback.objects.count() == 0


def test_voys_created_ringing_in_progress_ended_is_an_answered_call(bridge, staff_user):
    events = [voys(s, "v-1") for s in ("created", "ringing", "in-progress", "ended")]

    assert post_all(bridge["voys"], events) == [{}, {}, {}, {}]

    call = Call.objects.get()
    assert call.answered_by == staff_user
    assert call.cause == "normalClearing"
    assert not call.missed
    assert CallEvent.objects.count() == 3  # created and ringing are one newCall


def test_voys_created_then_ended_is_missed_and_called_back(bridge):
    post_all(bridge["voys"], [voys("created", "v-2"), voys("ended", "v-2")])

    call = Call.objects.get()
    assert call.missed and call.cause == "noAnswer"
    assert call.callback is not None


def test_voys_duplicates_and_ended_before_created_make_one_missed_call(bridge):
    events = [voys("ended", "v-3"), voys("ended", "v-3"), voys("created", "v-3")]

    post_all(bridge["voys"], events + events)

    assert Call.objects.count() == 1
    assert Call.objects.get().missed
    assert Callback.objects.count() == 1
