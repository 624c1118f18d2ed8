"""The morning queue page: its order, what each row shows, its query count, claim and outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Priority
from cases.services import CallDetails, call_log
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.queue import callback_claim
from scheduling.models import Callback, CallbackState, CallbackWeekdayCapacity
from scheduling.selectors import callback_queue
from tests.factories import CallerCaseFactory, PsoStatusFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY = local(2026, 11, 30, 8, 0)


def book(case, *, now, requested_at=None):
    return callback_schedule(
        case=case, number="+31546123456", actor=None, now=now, requested_at=requested_at
    )


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)


def test_queue_order_overdue_first_then_by_slot_then_urgent_then_oldest(monday):
    CallbackWeekdayCapacity.objects.update(capacity=5)
    normal, urgent = (
        CallerCaseFactory(),
        CallerCaseFactory(priority=Priority.URGENT, contact__name="Els Bakker"),
    )
    # Overdue from last Thursday: created earlier, but urgent goes first.
    overdue_normal = book(normal, now=local(2026, 11, 25, 13))
    overdue_urgent = book(urgent, now=local(2026, 11, 25, 14))
    # Today: a later slot, and one slot shared by normal (older) and urgent (newer).
    later = book(urgent, now=local(2026, 11, 27, 9), requested_at=local(2026, 11, 30, 9, 0))
    slot_normal_old = book(normal, now=local(2026, 11, 27, 9, 1))
    slot_urgent_new = book(urgent, now=local(2026, 11, 27, 9, 2))
    slot_normal_new = book(normal, now=local(2026, 11, 27, 9, 3))
    # Tomorrow's and finished callbacks are not in today's queue.
    book(normal, now=local(2026, 11, 27, 9), requested_at=local(2026, 12, 1, 9, 0))
    done = book(normal, now=local(2026, 11, 27, 9, 4))
    Callback.objects.filter(pk=done.pk).update(state=CallbackState.DONE)

    order = [c.pk for c in callback_queue(day=MONDAY.date())]
    # The page is picked from the callbacks alone: the same order, without the rows' joins.
    narrow = list(callback_queue(day=MONDAY.date(), narrow=True).values_list("pk", flat=True))
    assert narrow == order

    assert order == [
        overdue_urgent.pk,
        overdue_normal.pk,
        slot_urgent_new.pk,
        slot_normal_old.pk,
        slot_normal_new.pk,
        later.pk,
    ]


def test_each_row_shows_caller_organisation_pso_status_case_and_contact_count(
    monday, staff_client, staff_user
):
    case = CallerCaseFactory(subject="Aanvraag Trede 2")
    PsoStatusFactory(organisation=case.organisation, effective_from=dt.date(2024, 1, 1))
    book(case, now=local(2026, 11, 27, 9))
    callback = book(case, now=local(2026, 11, 27, 9))
    callback_claim(callback=callback, actor=staff_user, now=MONDAY)
    call_log(
        case=case, actor=staff_user, call=CallDetails(number="+31546123456", started_at=MONDAY)
    )

    response = staff_client.get(reverse("callback_queue"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Jan Jansen" in html
    assert "0546" in html
    assert "Gemeente Almelo" in html
    assert "pso-trede_3" in html
    assert case.reference in html and "Aanvraag Trede 2" in html
    assert "08:30–08:45" in html
    rows = list(response.context["callbacks"])
    assert [r.contact_count for r in rows] == [1, 1]
    # The claimed callback offers its claimer the outcome form.
    assert f'action="{reverse("callback_outcome", args=[callback.pk])}"' in html


def _fill_queue(count: int) -> None:
    CallbackWeekdayCapacity.objects.update(capacity=50)
    for i in range(count):
        case = CallerCaseFactory(contact__name=f"Beller {i}", contact__phone=f"+3154612{i:04d}")
        PsoStatusFactory(organisation=case.organisation, effective_from=dt.date(2024, 1, 1))
        book(case, now=local(2026, 11, 27, 9))


@pytest.mark.parametrize("rows", [3, 30])
def test_the_queue_page_costs_the_same_number_of_queries_whatever_its_length(
    rows, monday, staff_client, django_assert_num_queries
):
    _fill_queue(rows)
    # Session, user, role check, the queue's length, the page's ids (the callbacks
    # alone) and those callbacks with everything a row shows.
    with django_assert_num_queries(6):
        response = staff_client.get(reverse("callback_queue"))
    assert len(response.context["callbacks"]) == rows


def test_a_long_queue_is_shown_in_pages_in_the_same_order(monday, staff_client):
    _fill_queue(55)
    first = staff_client.get(reverse("callback_queue"))
    second = staff_client.get(reverse("callback_queue"), {"page": "2"})
    shown = [c.pk for c in first.context["callbacks"]] + [c.pk for c in second.context["callbacks"]]
    assert len(first.context["callbacks"]) == 50
    assert shown == [c.pk for c in callback_queue(day=MONDAY.date())]
    assert "Page 1 of 2 (55 callbacks)" in first.content.decode()
    assert staff_client.get(reverse("callback_queue"), {"page": "x"}).status_code == 200


def test_managers_see_the_queue_too(monday, manager_client):
    assert manager_client.get(reverse("callback_queue")).status_code == 200


def test_claiming_with_htmx_returns_the_row_with_the_outcome_form(monday, staff_client):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    response = staff_client.post(
        reverse("callback_claim", args=[callback.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tbody id="callback-{callback.pk}">')
    assert "How did the call to" in response.content.decode()


def test_a_second_claim_gets_a_clear_message(monday, staff_client, manager_user):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    callback_claim(callback=callback, actor=manager_user, now=MONDAY)
    response = staff_client.post(reverse("callback_claim", args=[callback.pk]), follow=True)
    assert "Marco Jansen is already making this callback." in response.content.decode()
    callback.refresh_from_db()
    assert callback.claimed_by == manager_user


def test_claiming_needs_post(monday, staff_client):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    assert staff_client.get(reverse("callback_claim", args=[callback.pk])).status_code == 405


def test_recording_no_answer_says_where_the_callback_moved(
    monday, staff_client, staff_user, time_machine
):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    time_machine.move_to(local(2026, 11, 30, 8, 35), tick=False)
    callback_claim(callback=callback, actor=staff_user, now=MONDAY)
    response = staff_client.post(
        reverse("callback_outcome", args=[callback.pk]),
        {"outcome": "no_answer", "notes": "Voicemail"},
        follow=True,
    )
    # An hour on from 08:35: not the slot that is running.
    assert "No answer: moved to Monday 30 November between 09:45 and 10:00." in (
        response.content.decode()
    )


def test_after_three_unanswered_calls_the_row_offers_an_email_to_the_caller(
    monday, staff_client, staff_user
):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    Callback.objects.filter(pk=callback.pk).update(attempts=2)
    callback_claim(callback=callback, actor=staff_user, now=MONDAY)
    response = staff_client.post(
        reverse("callback_outcome", args=[callback.pk]),
        {"outcome": "no_answer"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "the case is flagged" in html
    assert "mailto:" not in html
    assert f'href="/callbacks/{callback.pk}/email/"' in html


def test_an_outcome_without_a_choice_is_refused_with_a_message_and_nothing_changes(
    monday, staff_client, staff_user
):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    callback_claim(callback=callback, actor=staff_user, now=MONDAY)
    response = staff_client.post(
        reverse("callback_outcome", args=[callback.pk]),
        {"notes": "Kwijt", "resolve_case": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Kwijt" in response.content.decode()
    callback.refresh_from_db()
    assert callback.state == CallbackState.IN_PROGRESS


def test_without_javascript_giving_up_leads_to_the_email_composed_on_the_case(
    monday, staff_client, staff_user
):
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    Callback.objects.filter(pk=callback.pk).update(attempts=2)
    callback_claim(callback=callback, actor=staff_user, now=MONDAY)
    response = staff_client.post(
        reverse("callback_outcome", args=[callback.pk]), {"outcome": "no_answer"}
    )
    assert response.url == reverse("callback_email", args=[callback.pk])


def test_on_a_friday_the_page_links_to_mondays_queue_and_shows_it(staff_client, time_machine):
    case = CallerCaseFactory()
    booked = book(case, now=local(2026, 11, 26, 14, 0))  # Thursday afternoon → Monday 08:30
    time_machine.move_to(local(2026, 11, 27, 9, 0), tick=False)  # Friday: no phone hours

    friday = staff_client.get(reverse("callback_queue"))
    assert friday.context["next_phone_day"].isoformat() == "2026-11-30"
    assert "?day=2026-11-30" in friday.content.decode()
    assert list(friday.context["callbacks"]) == []

    monday = staff_client.get(reverse("callback_queue"), {"day": "2026-11-30"})
    assert [c.pk for c in monday.context["callbacks"]] == [booked.pk]
    assert "Callbacks for Monday 30 November" in monday.content.decode()


def test_a_bad_day_shows_today_with_a_message(monday, staff_client):
    response = staff_client.get(reverse("callback_queue"), {"day": "30-11"}, follow=True)
    assert response.status_code == 200
    assert response.context["today"] == MONDAY.date()
    assert "is not a date" in response.content.decode()


def test_a_queue_day_outside_the_calendars_years_shows_today_with_a_message(staff_client):
    response = staff_client.get(reverse("callback_queue"), {"day": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["today"] == timezone.localdate()
    assert "9999-12-31" in response.content.decode()
