"""Time left or late, in working time and in words, on the case list and dashboard; sorting."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from cases.first_answer import clock as sla
from cases.models import Status
from cases.services import case_update
from tests.factories import UrgentMailCaseFactory
from tests.timehelpers import local

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, 12:00 in Amsterdam (office hours 09:00–17:00).
NOW = local(2026, 12, 2, 12, 0)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def row_of(html: str, reference: str) -> str:
    """The table row (case list) or list item (dashboard card) that shows ``reference``."""
    for tag in ("tr", "li"):
        pattern = rf"<{tag}>(?:(?!</{tag}>).)*{re.escape(reference)}(?:(?!</{tag}>).)*</{tag}>"
        match = re.search(pattern, html)
        if match:
            return match.group(0)
    raise AssertionError(reference)


@time_machine.travel(NOW, tick=False)
def test_case_list_shows_working_time_left_overdue_and_paused(staff_client):
    # Urgent: 8 working hours. Opened Tuesday 15:45 → due Wednesday 15:45: 3:45 left.
    running = UrgentMailCaseFactory(subject="Running", created_at=local(2026, 12, 1, 15, 45))
    # Opened Monday 13:40 → due Tuesday 13:40: overdue by 3:20 + 3:00 = 6:20 working time
    # (Tuesday 13:40–17:00 and Wednesday 09:00–12:00), not by a wall-clock day.
    late = UrgentMailCaseFactory(subject="Late", created_at=local(2026, 11, 30, 13, 40))
    waiting = UrgentMailCaseFactory(subject="Waiting", created_at=local(2026, 12, 1, 13, 0))
    case_update(case=waiting, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 15, 0))
    answered = UrgentMailCaseFactory(subject="Answered", created_at=local(2026, 12, 1, 9, 0))
    sla.case_first_response(answered, local(2026, 12, 1, 10, 0))

    html = text(staff_client.get(reverse("case_list"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "3 h 45 min left" in row_of(html, running.reference)
    assert "6 h 20 min late" in row_of(html, late.reference)
    assert "paused since 1 Dec 15:00" in row_of(html, waiting.reference)
    answered_row = row_of(html, answered.reference)
    assert "left" not in answered_row and "late" not in answered_row


@time_machine.travel(NOW, tick=False)
def test_dashboard_lists_show_time_left(staff_client, staff_user):
    mine = UrgentMailCaseFactory(
        subject="Mine", created_at=local(2026, 12, 1, 15, 45), assignee=staff_user
    )
    unassigned = UrgentMailCaseFactory(subject="Nobody's", created_at=local(2026, 11, 30, 13, 40))

    html = text(staff_client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "3 h 45 min left" in row_of(html, mine.reference)
    assert "6 h 20 min late" in row_of(html, unassigned.reference)


@time_machine.travel(NOW, tick=False)
def test_due_first_sorts_running_cases_by_due_time_then_paused_then_the_rest(staff_client):
    # due Thursday 09:00
    later = UrgentMailCaseFactory(subject="Later", created_at=local(2026, 12, 2, 9, 0))
    # due Wednesday 10:00
    overdue = UrgentMailCaseFactory(subject="Overdue", created_at=local(2026, 12, 1, 10, 0))
    # would be the most overdue
    paused = UrgentMailCaseFactory(subject="Paused", created_at=local(2026, 11, 30, 9, 0))
    case_update(case=paused, actor=None, status=Status.WAITING, at=local(2026, 11, 30, 10, 0))
    # due Wednesday 13:00
    soon = UrgentMailCaseFactory(subject="Soon", created_at=local(2026, 12, 1, 13, 0))
    answered = UrgentMailCaseFactory(subject="Answered", created_at=local(2026, 11, 30, 8, 0))
    sla.case_first_response(answered, local(2026, 11, 30, 10, 0))
    closed = UrgentMailCaseFactory(subject="Closed", created_at=local(2026, 11, 30, 9, 30))
    case_update(case=closed, actor=None, status=Status.CLOSED, at=local(2026, 11, 30, 11, 0))

    response = staff_client.get(reverse("case_list"), {"sort": "due"}, HTTP_ACCEPT_LANGUAGE="en")

    order = [case.reference for case in response.context["cases"]]
    assert order[:4] == [overdue.reference, soon.reference, later.reference, paused.reference]
    assert set(order[4:]) == {answered.reference, closed.reference}
    assert 'aria-sort="ascending"' in text(response)


def test_due_first_is_offered_in_the_order_menu(staff_client):
    html = text(staff_client.get(reverse("case_list"), HTTP_ACCEPT_LANGUAGE="en"))
    assert '<option value="due">Due first</option>' in html


def test_unknown_sort_is_left_out_with_a_message_not_an_error(staff_client):
    response = staff_client.get(
        reverse("case_list"), {"sort": "due-ish"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "were not understood" in text(response)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("page", ["case_list", "dashboard"])
def test_queries_do_not_grow_with_the_number_of_rows(
    page, staff_client, staff_user, django_assert_max_num_queries
):
    def make(n: int) -> None:
        for i in range(n):
            case = UrgentMailCaseFactory(
                subject=f"Vraag {i}", created_at=local(2026, 12, 1, 9, i), assignee=staff_user
            )
            if i % 3 == 0:
                case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 16))

    url = reverse(page) + ("?sort=due" if page == "case_list" else "")
    make(2)
    staff_client.get(url)  # warm the calendar cache and the session
    with django_assert_max_num_queries(20) as few:
        staff_client.get(url)
    make(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = text(staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert html.count(" left<") + html.count(" late<") + html.count(">paused since") >= 14
