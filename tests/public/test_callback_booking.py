"""Booking a callback on the public page: free slots by day, the first free time, the promise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Channel
from scheduling.callbacks.booking import callback_schedule
from scheduling.models import Callback, CallbackWeekdayCapacity
from tests.factories import CallerCaseFactory
from tests.public.conftest import started_value
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "thursday_afternoon")]

MONDAY_0830 = local(2026, 11, 30, 8, 30)


def _form(client, url=None) -> dict:
    page = client.get(url or reverse("public:callback")).content.decode()
    return {
        "name": "Anouk Bakker",
        "phone": "0546 541 234",
        "email": "a.bakker@example.nl",
        "started": started_value(page),
        "website": "",
    }


def _slot(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


def test_the_page_shows_the_coming_phone_days_with_their_free_times(client):
    page = client.get(reverse("public:callback")).content.decode()

    assert "Monday 30 November" in page
    assert "Thursday 10 December" in page  # ten phone days: Mon-Thu, Mon-Thu, Mon-Tue
    assert "Wednesday 9 December" in page
    assert "Friday" not in page.split("When may we call you?")[1].split("</fieldset>")[-1]
    assert f'value="{_slot(MONDAY_0830)}"' in page


def test_a_full_slot_is_never_shown(client):
    CallbackWeekdayCapacity.objects.update_or_create(weekday=0, defaults={"capacity": 1})
    callback_schedule(case=CallerCaseFactory(), number="+31546541234", actor=None)

    page = client.get(reverse("public:callback")).content.decode()

    assert f'value="{_slot(MONDAY_0830)}"' not in page
    assert f'value="{_slot(local(2026, 11, 30, 8, 45))}"' in page


def test_booking_a_chosen_time_opens_a_web_case_and_promises_it_in_words(
    client, django_capture_on_commit_callbacks
):
    data = {**_form(client), "slot": _slot(local(2026, 12, 1, 10, 0))}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("public:callback"), data)

    assert response.status_code == 200
    callback = Callback.objects.select_related("case").get()
    assert callback.case.channel == Channel.WEB
    assert callback.number == "+31546541234"
    assert callback.requested_by_caller
    assert "Tuesday 1 December between 10:00 and 10:15" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["a.bakker@example.nl"]
    assert "Tuesday 1 December between 10:00 and 10:15" in message.subject
    assert "/hulp/terugbellen/" in message.body


def test_the_first_free_time_is_booked_when_asked(client):
    response = client.post(reverse("public:callback"), {**_form(client), "slot": "first"})

    assert response.status_code == 200
    assert Callback.objects.get().slot_start == MONDAY_0830


def test_the_last_place_taken_meanwhile_offers_the_next_free_time(client):
    CallbackWeekdayCapacity.objects.update_or_create(weekday=0, defaults={"capacity": 1})
    data = {**_form(client), "slot": _slot(MONDAY_0830)}
    callback_schedule(case=CallerCaseFactory(), number="+31546000001", actor=None)

    response = client.post(reverse("public:callback"), data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "that slot is full" in page
    assert f'value="{_slot(MONDAY_0830)}"' not in page
    assert f'value="{_slot(local(2026, 11, 30, 8, 45))}"' in page
    assert Callback.objects.count() == 1
    assert not Case.objects.filter(channel=Channel.WEB).exists()


def test_a_time_outside_the_offered_days_is_refused(client):
    data = {**_form(client), "slot": _slot(local(2027, 6, 7, 9, 0))}

    response = client.post(reverse("public:callback"), data)

    assert response.status_code == 400
    assert "Choose one of the times shown." in response.content.decode()
    assert not Callback.objects.exists()


@pytest.mark.parametrize(
    "slot",
    [
        "",
        "tomorrow",
        "2026-11-30T08:30:00",
        "first'--",
        "9999-12-31T08:30:00+01:00",
        "0001-01-01T00:00:00+00:00",
        "2026-11-30T03:00:00+00:00",  # outside phone hours
        "2026-11-30T08:30:00+00:00\x00",
    ],
)
def test_a_bad_slot_value_is_refused_and_keeps_the_form(client, slot):
    response = client.post(reverse("public:callback"), {**_form(client), "slot": slot})

    assert response.status_code in {400, 409}
    assert "Anouk Bakker" in response.content.decode()
    assert not Callback.objects.exists()


def test_a_number_is_capped_at_the_weeks_bookings(client, settings):
    settings.PUBLIC_CALLBACKS_PER_NUMBER_PER_WEEK = 2
    for _ in range(2):
        booked = client.post(reverse("public:callback"), {**_form(client), "slot": "first"})
        assert booked.status_code == 200

    response = client.post(reverse("public:callback"), {**_form(client), "slot": "first"})

    assert response.status_code == 400
    assert "No more callbacks can be booked for this number this week" in (
        response.content.decode()
    )
    assert Callback.objects.count() == 2


def test_an_invalid_phone_number_is_refused_on_its_field(client):
    response = client.post(
        reverse("public:callback"), {**_form(client), "phone": "12", "slot": "first"}
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Callback.objects.exists()


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("public:callback")).status_code == 200
    return len(queries)


def test_the_slot_page_makes_the_same_queries_however_many_callbacks_are_booked(client):
    client.get(reverse("public:callback"))  # the phone calendar is built once per process
    few = _page_queries(client)
    for n in range(60):
        callback_schedule(case=CallerCaseFactory(), number=f"+315460000{n:02d}", actor=None)

    assert _page_queries(client) == few <= 5


@pytest.mark.parametrize("field", ["name", "email", "phone", "question"])
def test_a_nul_character_in_any_field_is_refused(client, field):
    data = {**_form(client), "slot": "first", field: "Anouk\x00Bakker"}

    response = client.post(reverse("public:callback"), data)

    assert response.status_code == 400
    assert not Callback.objects.exists()


def test_the_promise_is_in_dutch_for_a_dutch_visitor(client):
    client.cookies["django_language"] = "nl"
    data = {**_form(client), "slot": _slot(local(2026, 11, 30, 8, 30))}

    response = client.post(reverse("public:callback"), data)

    assert "maandag 30 november tussen 08:30 en 08:45" in response.content.decode()
