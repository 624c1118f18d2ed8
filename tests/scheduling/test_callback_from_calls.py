"""Logging a call outside phone hours, or for a caller who asks, books a callback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, PhoneCall
from scheduling.models import Callback
from tests.factories import CallerCaseFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CALL_LOG = "/calls/new/"


@pytest.fixture
def thursday_1305(time_machine):
    time_machine.move_to(local(2026, 11, 26, 13, 5), tick=False)


def call_data(**overrides):
    data = {
        "number": "0546 123456",
        "direction": "in",
        "started_at": "2026-11-26T13:00",
        "duration_minutes": "2",
        "notes": "Ingesproken bericht: vraag over de Trede 2 audit.",
        "outcome": "message",
        "case": "",
        "subject": "Vraag over de audit",
        "priority": "normal",
        "caller_name": "Petra de Boer",
    }
    data.update(overrides)
    return data


def test_a_call_outside_phone_hours_is_called_back_monday_0830(thursday_1305, staff_client):
    response = staff_client.post(CALL_LOG, call_data(), follow=True)

    callback = Callback.objects.get()
    assert callback.slot_start == local(2026, 11, 30, 8, 30)
    assert callback.number == "+31546123456"
    assert not callback.requested_by_caller
    assert "we call back on Monday 30 November between 08:30 and 08:45" in (
        response.content.decode()
    )


def test_a_caller_who_asks_during_phone_hours_gets_the_time_they_asked_for(
    time_machine, staff_client
):
    time_machine.move_to(local(2026, 11, 30, 9, 5), tick=False)
    response = staff_client.post(
        CALL_LOG,
        call_data(
            started_at="2026-11-30T09:00",
            outcome="answered",
            callback_requested="on",
            callback_at="2026-11-30T11:05",
        ),
        follow=True,
    )
    callback = Callback.objects.get()
    assert callback.slot_start == local(2026, 11, 30, 11, 0)
    assert callback.requested_by_caller
    assert "Monday 30 November between 11:00 and 11:15" in response.content.decode()


def test_a_time_outside_phone_hours_is_refused_with_free_times_and_nothing_is_saved(
    thursday_1305, staff_client
):
    response = staff_client.post(
        CALL_LOG, call_data(callback_requested="on", callback_at="2026-11-27T10:00")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "outside phone hours" in html
    assert "Monday 30 November between 08:30 and 08:45" in html
    assert 'value="Petra de Boer"' in html  # what was typed is kept
    assert not Callback.objects.exists()
    assert not PhoneCall.objects.exists()
    assert not Case.objects.exists()


def test_an_outgoing_call_outside_phone_hours_books_no_callback(thursday_1305, staff_client):
    staff_client.post(CALL_LOG, call_data(direction="out", outcome="answered"))
    assert PhoneCall.objects.count() == 1
    assert not Callback.objects.exists()


def test_an_answered_call_inside_phone_hours_books_no_callback(time_machine, staff_client):
    time_machine.move_to(local(2026, 11, 30, 9, 5), tick=False)
    staff_client.post(CALL_LOG, call_data(started_at="2026-11-30T09:00", outcome="answered"))
    assert PhoneCall.objects.count() == 1
    assert not Callback.objects.exists()


def test_a_call_logged_on_the_case_page_books_the_callback_too(thursday_1305, staff_client):
    case = CallerCaseFactory()
    staff_client.post(
        reverse("case_call_add", args=[case.reference]),
        {
            "call-number": "0546123456",
            "call-direction": "in",
            "call-started_at": "2026-11-26T13:00",
            "call-duration_minutes": "1",
            "call-notes": "Belt terug na de lunch",
            "call-outcome": "message",
        },
    )
    assert Callback.objects.get(case=case).slot_start == local(2026, 11, 30, 8, 30)
