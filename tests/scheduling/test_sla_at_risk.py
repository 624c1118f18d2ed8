"""The "at risk" page and the dashboard count: which cases are about to miss the promise."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from cases.first_answer import clock as sla
from cases.models import Status
from cases.services import case_update
from tests.factories import UrgentMailCaseFactory, UserFactory
from tests.timehelpers import local

pytestmark = pytest.mark.django_db

URL = "/sla/at-risk/"
# Wednesday 2 December 2026, 12:00 in Amsterdam.
NOW = local(2026, 12, 2, 12, 0)


def test_url_is_named():
    assert reverse("sla_at_risk") == URL


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signed_in_user_without_a_role_is_refused(client):
    client.force_login(UserFactory(username="guest"))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_see_the_page(request, who):
    assert request.getfixturevalue(who).get(URL).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_cases_are_listed_soonest_due_first_with_time_left(staff_client):
    # due Thursday 09:00
    later = UrgentMailCaseFactory(subject="Later", created_at=local(2026, 12, 2, 9, 0))
    # due Wednesday 10:00
    overdue = UrgentMailCaseFactory(subject="Overdue", created_at=local(2026, 12, 1, 10, 0))
    # due Wednesday 13:00
    soon = UrgentMailCaseFactory(subject="Soon", created_at=local(2026, 12, 1, 13, 0))
    answered = UrgentMailCaseFactory(subject="Answered", created_at=local(2026, 12, 1, 9, 0))
    sla.case_first_response(answered, local(2026, 12, 1, 10, 0))
    closed = UrgentMailCaseFactory(subject="Closed", created_at=local(2026, 12, 1, 9, 30))
    case_update(case=closed, actor=None, status=Status.CLOSED, at=local(2026, 12, 1, 11, 0))

    response = staff_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    rows = response.context["rows"]
    assert [row.case.reference for row in rows] == [
        overdue.reference,
        soon.reference,
        later.reference,
    ]
    assert [row.remaining for row in rows] == [
        -dt.timedelta(hours=2),
        dt.timedelta(hours=1),
        dt.timedelta(hours=5),
    ]
    assert [(row.overdue, row.at_risk) for row in rows] == [
        (True, True),
        (False, True),
        (False, False),
    ]
    html = response.content.decode()
    assert "2 h 00 min late" in html
    assert html.index(overdue.reference) < html.index(soon.reference) < html.index(later.reference)


@time_machine.travel(NOW, tick=False)
def test_paused_case_is_marked_and_keeps_the_time_it_had_left(staff_client):
    # due Wednesday 13:00
    waiting = UrgentMailCaseFactory(subject="Waiting", created_at=local(2026, 12, 1, 13, 0))
    case_update(case=waiting, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 15, 0))
    (row,) = staff_client.get(URL).context["rows"]
    assert row.paused
    assert row.remaining == dt.timedelta(hours=6)  # what was left on Tuesday at 15:00
    assert not row.at_risk


@time_machine.travel(NOW, tick=False)
def test_page_queries_do_not_grow_with_the_number_of_cases(
    staff_client, staff_user, django_assert_max_num_queries
):
    def make(n: int) -> None:
        for i in range(n):
            case = UrgentMailCaseFactory(subject=f"Vraag {i}", created_at=local(2026, 12, 1, 9, i))
            case_update(case=case, actor=None, assignee=staff_user, at=local(2026, 12, 1, 10, 0))

    make(2)
    staff_client.get(URL)  # warm the calendar cache and the session
    with django_assert_max_num_queries(8) as few:
        staff_client.get(URL)
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(URL)
    assert len(response.context["rows"]) == 22


@time_machine.travel(NOW, tick=False)
def test_dashboard_counts_overdue_and_soon_due_cases(staff_client):
    # due Wednesday 10:00
    UrgentMailCaseFactory(subject="Overdue", created_at=local(2026, 12, 1, 10, 0))
    # due Wednesday 13:00
    UrgentMailCaseFactory(subject="Soon", created_at=local(2026, 12, 1, 13, 0))
    # due Thursday 09:00
    UrgentMailCaseFactory(subject="Later", created_at=local(2026, 12, 2, 9, 0))
    waiting = UrgentMailCaseFactory(subject="Waiting", created_at=local(2026, 12, 1, 9, 0))
    case_update(case=waiting, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 11, 0))

    response = staff_client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    html = " ".join(response.content.decode().split())
    assert "1 case is overdue" in html
    assert "1 case is due within 2 working hours" in html
    assert "1 waiting on the customer" in html
    assert reverse("sla_at_risk") in html


@translation.override("en")
def test_working_time_is_written_one_way_left_or_late():
    assert sla.working_time_words(dt.timedelta(hours=2, minutes=5)) == "2 h 05 min left"
    assert sla.working_time_words(-dt.timedelta(hours=1, minutes=30)) == "1 h 30 min late"
    assert sla.working_time_words(dt.timedelta(hours=26)) == "26 h 00 min left"
    assert sla.working_time_words(dt.timedelta(minutes=-7)) == "7 min late"


def test_working_time_reads_the_same_in_dutch():
    with translation.override("nl"):
        assert sla.working_time_words(dt.timedelta(hours=3, minutes=20)) == "nog 3 u 20 min"
        assert sla.working_time_words(-dt.timedelta(hours=2, minutes=10)) == "2 u 10 min te laat"
