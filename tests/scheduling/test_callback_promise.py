"""The queue keeps its promise in sight: the case page shows its callback, the queue the
caller's question, and today's page and the next phone day's agree on what is overdue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.services import note_add
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.changes import callback_cancel
from scheduling.callbacks.queue import callback_claim
from scheduling.models import Callback
from tests.factories import CallerCaseFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY_0800 = local(2026, 11, 30, 8)


def book(case, *, now):
    return callback_schedule(case=case, number="+31546123456", actor=None, now=now)


def test_the_case_page_shows_its_pending_callback_with_slot_attempts_and_claimer(
    staff_client, staff_user, time_machine
):
    time_machine.move_to(MONDAY_0800, tick=False)
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    Callback.objects.filter(pk=callback.pk).update(attempts=1)
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0800)

    page = staff_client.get(reverse("case_detail", args=[callback.case.reference])).content.decode()

    assert "Callback to make" in page
    assert "Monday 30 November between 08:30 and 08:45" in page
    assert "1 try without answer" in page
    assert "claimed by Sanne de Vries" in page


def test_a_case_without_a_pending_callback_shows_none(staff_client):
    case = CallerCaseFactory()

    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()

    assert "Callback to make" not in page


def test_the_queue_shows_the_callers_question_subject_and_last_note(
    staff_client, staff_user, time_machine
):
    time_machine.move_to(MONDAY_0800, tick=False)
    callback = book(CallerCaseFactory(), now=local(2026, 11, 27, 9))
    note_add(case=callback.case, author=staff_user, body="Wil weten wanneer de audit is.")

    page = staff_client.get(reverse("callback_queue")).content.decode()

    assert "Vraag over de PSO-status" in page
    assert "Last note: Wil weten wanneer de audit is." in page


def test_today_and_the_next_phone_day_agree_on_what_is_overdue(staff_client, time_machine):
    # Monday 30 November at 10:00: one callback left over from Thursday, one for today.
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)
    Callback.objects.all().delete()
    overdue = book(CallerCaseFactory(), now=local(2026, 11, 25, 13))  # Thursday 26th, 08:30
    todays = book(CallerCaseFactory(), now=local(2026, 11, 30, 10))  # Monday, 10:00

    today = staff_client.get(reverse("callback_queue")).context
    tuesday = staff_client.get(reverse("callback_queue"), {"day": "2026-12-01"}).context

    def overdue_ids(context):
        return {c.pk for c in context["callbacks"] if c.overdue == 0}

    assert overdue_ids(today) == overdue_ids(tuesday) == {overdue.pk}
    assert todays.pk in {c.pk for c in today["callbacks"]}
    assert todays.pk not in {c.pk for c in tuesday["callbacks"]}


def test_the_queue_links_to_the_previous_day_which_shows_its_callbacks(
    staff_client, staff_user, time_machine
):
    time_machine.move_to(local(2026, 11, 30, 8), tick=False)
    done = book(CallerCaseFactory(), now=local(2026, 11, 25, 13))  # Thursday 26th
    Callback.objects.filter(pk=done.pk).update(state="done")

    monday = staff_client.get(reverse("callback_queue")).content.decode()
    thursday = staff_client.get(reverse("callback_queue"), {"day": "2026-11-26"})

    assert "?day=2026-11-29" in monday
    assert done.pk in {c.pk for c in thursday.context["callbacks"]}


def timeline_of(page: str) -> list[str]:
    """The entries of the case page's timeline, oldest first, as their HTML."""
    timeline = page.split('<ol class="timeline" id="timeline">', 1)[1].split("</ol>", 1)[0]
    return ["<li" + part for part in timeline.split("<li")[1:] if not part.startswith(">")]


def test_a_pending_callback_is_the_timelines_last_entry_with_when_and_who_booked_it(
    staff_client, staff_user, time_machine
):
    time_machine.move_to(MONDAY_0800, tick=False)
    case = CallerCaseFactory()
    note_add(case=case, author=staff_user, body="Belt terug over de audit.")
    callback_schedule(case=case, number="+31546123456", actor=staff_user, now=MONDAY_0800)

    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()

    last = [entry for entry in timeline_of(page) if "timeline-" in entry.split(">", 1)[0]][-1]
    assert 'class="timeline-callback"' in last
    assert "Callback booked" in last
    assert "for Monday 30 November between 08:30 and 08:45" in last
    assert "Mon 30 Nov 2026 08:00</time> · Sanne de Vries</p>" in " ".join(last.split())
    assert "not claimed yet" in last


def test_a_callback_the_phone_system_booked_says_so_on_the_timeline(staff_client, time_machine):
    time_machine.move_to(MONDAY_0800, tick=False)
    callback = book(CallerCaseFactory(), now=MONDAY_0800)

    page = staff_client.get(reverse("case_detail", args=[callback.case.reference])).content.decode()

    assert "the phone system (missed call)" in page.split('class="timeline-callback"', 1)[1]


def test_a_callback_asked_for_on_the_website_says_so_on_the_timeline(staff_client, time_machine):
    time_machine.move_to(MONDAY_0800, tick=False)
    case = CallerCaseFactory()
    callback_schedule(
        case=case, number="+31546123456", actor=None, requested_by_caller=True, now=MONDAY_0800
    )

    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()

    assert "the caller, on the website" in page.split('class="timeline-callback"', 1)[1]


def test_a_callback_made_or_cancelled_is_no_longer_on_the_timeline(staff_client, time_machine):
    time_machine.move_to(MONDAY_0800, tick=False)
    callback = book(CallerCaseFactory(), now=MONDAY_0800)
    callback_cancel(callback=callback, now=MONDAY_0800)

    page = staff_client.get(reverse("case_detail", args=[callback.case.reference])).content.decode()

    assert "timeline-callback" not in page
