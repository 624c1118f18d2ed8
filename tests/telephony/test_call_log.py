"""The caller log page, and logging a call from the phone system's events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import PhoneCall
from telephony.models import Call, Extension
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.events import ring
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LOG = "/telephony/calls/"


@pytest.fixture
def system():
    return PhoneSystemFactory()


@pytest.fixture
def jan():
    return CallerCaseFactory()


def a_day_of_calls(system, time_machine, count=1):
    """Per round: an answered call at 09:00, a missed one at 09:30, one at 13:00 (closed)."""
    for n in range(count):
        time_machine.move_to(local(2026, 11, 30, 9, n), tick=False)
        ring(system, f"a-{n}")
        ring(system, f"a-{n}", event="answer")
        time_machine.move_to(
            local(
                2026,
                11,
                30,
                9,
                n,
            )
            + dt.timedelta(seconds=95),
            tick=False,
        )
        ring(system, f"a-{n}", event="hangup")
        time_machine.move_to(local(2026, 11, 30, 9, 30 + n), tick=False)
        ring(system, f"m-{n}", caller=f"06-1234{n:04d}")
        ring(system, f"m-{n}", caller=f"06-1234{n:04d}", event="hangup", cause="noAnswer")
        time_machine.move_to(local(2026, 11, 30, 13, n), tick=False)
        ring(system, f"o-{n}", caller="anonymous")
        ring(system, f"o-{n}", caller="anonymous", event="hangup", cause="cancel")
    time_machine.move_to(local(2026, 11, 30, 14), tick=False)


def test_the_log_shows_today_with_missed_calls_marked_and_linked_to_their_case(
    staff_client, system, jan, staff_user, time_machine
):
    Extension.objects.create(user=staff_user, number="201")
    a_day_of_calls(system, time_machine)

    page = staff_client.get(LOG).content.decode()

    assert page.count('class="missed"') == 2
    assert "1:35" in page  # the answered call's duration, from the events
    assert "Sanne de Vries" in page
    assert "outside phone hours" in page
    missed = Call.objects.get(call_id="m-0")
    assert f'href="/cases/{missed.phone_call.case.reference}/"' in page
    assert f'href="/organisations/{jan.organisation.pk}/"' in page


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("missed", {"m-0", "o-0"}),
        ("answered", {"a-0"}),
        ("outside", {"o-0"}),
        ("", {"a-0", "m-0", "o-0"}),
    ],
)
def test_the_log_filters_missed_answered_and_outside_hours(
    staff_client, system, jan, time_machine, show, expected
):
    a_day_of_calls(system, time_machine)

    response = staff_client.get(LOG, {"show": show})

    assert {call.call_id for call in response.context["calls"]} == expected


def test_the_log_costs_the_same_queries_for_one_call_or_many(
    staff_client, system, jan, time_machine, django_assert_num_queries
):
    a_day_of_calls(system, time_machine, count=1)
    staff_client.get(LOG)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LOG)
    a_day_of_calls(system, time_machine, count=6)

    with django_assert_num_queries(len(few.captured_queries)):
        staff_client.get(LOG)


def test_the_log_goes_to_the_previous_day_and_refuses_a_bad_date(staff_client, time_machine):
    time_machine.move_to(local(2026, 11, 30, 14), tick=False)

    page = staff_client.get(LOG).content.decode()
    bad = staff_client.get(LOG, {"day": "gisteren"}, follow=True)

    assert "?day=2026-11-29" in page
    assert bad.status_code == 200
    assert "is not a date" in bad.content.decode()


def test_the_form_from_the_pop_up_is_filled_in_from_the_events(
    staff_client, system, jan, time_machine
):
    time_machine.move_to(local(2026, 11, 30, 10, 5), tick=False)
    ring(system, "t-1")
    call = Call.objects.get()

    response = staff_client.get(f"/telephony/calls/{call.pk}/log/")

    form = response.context["form"]
    assert form.initial["number"] == "0546 123 456"
    assert form.initial["started_at"] == local(2026, 11, 30, 10, 5)
    assert form.initial["contact"] == jan.contact
    page = response.content.decode()
    assert f'action="/telephony/calls/{call.pk}/log/"' in page
    assert jan.reference in page  # his open case, to add the call to


def test_saving_the_form_joins_the_call_and_the_hangup_sets_its_duration(
    staff_client, system, jan, time_machine
):
    time_machine.move_to(local(2026, 11, 30, 10, 5), tick=False)
    ring(system, "t-1")
    ring(system, "t-1", event="answer")
    call = Call.objects.get()
    time_machine.move_to(local(2026, 11, 30, 10, 7), tick=False)

    response = staff_client.post(
        f"/telephony/calls/{call.pk}/log/",
        {
            "case": jan.reference,
            "number": "0546 123456",
            "direction": "in",
            "started_at": "2026-11-30T10:05",
            "duration_minutes": "1",
            "notes": "Vraag over Trede 2",
            "outcome": "answered",
            "priority": "normal",
            "contact": jan.contact.pk,
            "organisation": jan.organisation.pk,
        },
    )
    assert response.status_code == 302
    logged = PhoneCall.objects.get()
    assert logged.case == jan
    time_machine.move_to(local(2026, 11, 30, 10, 9) + dt.timedelta(seconds=30), tick=False)
    ring(system, "t-1", event="hangup")

    logged.refresh_from_db()
    assert logged.duration == dt.timedelta(minutes=4, seconds=30)
    assert Call.objects.get().phone_call == logged
    assert PhoneCall.objects.count() == 1
    # A second try at logging the same call goes to its case instead of logging it again.
    again = staff_client.get(f"/telephony/calls/{call.pk}/log/")
    assert again.status_code == 302 and again["Location"] == f"/cases/{jan.reference}/"
