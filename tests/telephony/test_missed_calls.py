"""Missed calls become callbacks: when, where to, and when not."""

from __future__ import annotations

import pytest

from cases.models import Case, Note
from scheduling.models import Callback, CallbackWeekdayCapacity
from telephony.models import Call
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.events import ring
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def missed(system, call_id, **extra):
    ring(system, call_id, **extra)
    ring(system, call_id, event="hangup", cause=extra.pop("cause", "noAnswer"), **extra)
    return Call.objects.select_related("callback").get(call_id=call_id)


def test_a_call_outside_phone_hours_is_called_back_at_the_next_opening(time_machine):
    CallerCaseFactory()
    time_machine.move_to(local(2026, 11, 26, 13, 5), tick=False)  # Thursday, after 12:30
    system = PhoneSystemFactory()

    call = missed(system, "late", cause="normalClearing")

    assert call.missed and not call.inside_phone_hours
    assert call.callback.slot_start == local(2026, 11, 30, 8, 30)


def test_an_unknown_caller_gets_a_new_missed_call_case(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)
    system = PhoneSystemFactory()

    call = missed(system, "stranger", caller="06-87654321")

    case = call.callback.case
    assert case.subject == "Missed call from 06 87654321"
    assert case.contact is None
    assert call.callback.number == "+31687654321"


def test_a_manager_can_switch_the_callbacks_off(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)
    system = PhoneSystemFactory(book_missed_callbacks=False)

    call = missed(system, "off")

    assert call.missed and call.callback is None
    assert Callback.objects.count() == 0 and Case.objects.count() == 0


def test_without_a_free_slot_the_missed_call_is_kept_with_a_note(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)
    CallbackWeekdayCapacity.objects.update(capacity=0)
    system = PhoneSystemFactory()

    call = missed(system, "full")

    assert call.missed and call.callback is None
    note = Note.objects.get()
    assert "No callback could be booked" in note.body
    assert call.phone_call.case == note.case


def test_a_forwarded_call_is_not_missed(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)
    system = PhoneSystemFactory()

    call = missed(system, "fwd", cause="forwarded")

    assert not call.missed and call.callback is None
