"""What one call event costs in queries: a budget per kind of event, so a change that adds a
round trip to the hot path shows here (the time it takes is measured in bench/)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.bridge import zammad
from tests.timehelpers import local

pytestmark = pytest.mark.django_db

#: Each event is one transaction: its BEGIN and COMMIT (in a test, a savepoint and its
#: release) are in every budget below.
TRANSACTION = 2
#: PostgreSQL's one statement more for an event that stores something: the commit of the
#: call's own record does not wait for the disk (telephony.services.commit_waits_for_disk).
NO_WAIT = 1


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


@pytest.fixture
def system(client):
    system = PhoneSystemFactory()
    CallerCaseFactory()  # the caller of bridge.zammad's number, with a case
    # A first call, so what each process keeps (telephony.known) is read.
    post(client, system, zammad("newCall", "warm-up"))
    return system


def post(client, system, data):
    response = client.post(
        f"/cti/{system.token}/", json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response


def budget(queries: int, *, waits_for_disk: bool = False) -> int:
    on_postgresql = connection.vendor == "postgresql"
    return TRANSACTION + queries + (NO_WAIT if on_postgresql and not waits_for_disk else 0)


def test_each_event_of_an_answered_call_keeps_its_query_budget(
    client, system, staff_user, django_assert_num_queries
):
    from telephony.models import Extension

    Extension.objects.create(user=staff_user, number="201")
    # newCall: lock (none), storm count, number match, insert call, insert event.
    with django_assert_num_queries(budget(5), info="newCall") as ringing:
        post(client, system, zammad("newCall", "c-1"))
    # answer: lock with its stored answer and the storm count, who answered, update, event.
    with django_assert_num_queries(budget(4), info="answer"):
        post(client, system, zammad("answer", "c-1"))
    with django_assert_num_queries(budget(3), info="hangup"):
        post(client, system, zammad("hangup", "c-1", cause="normalClearing"))
    if connection.vendor == "postgresql":
        assert "SET LOCAL synchronous_commit TO OFF" in [q["sql"] for q in ringing.captured_queries]
    # A bridge's retry: the lock and its stored answer, nothing else (read with the lock
    # for an answer or a hangup, after it for a newCall, whose call is nearly always new).
    with django_assert_num_queries(budget(1, waits_for_disk=True), info="repeated hangup"):
        post(client, system, zammad("hangup", "c-1", cause="normalClearing"))
    with django_assert_num_queries(budget(2, waits_for_disk=True), info="repeated newCall"):
        post(client, system, zammad("newCall", "c-1"))


def test_a_missed_call_is_answered_within_budget_and_its_follow_up_books_within_its_own(
    client, system, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from telephony import tasks
    from telephony.models import Call

    post(client, system, zammad("newCall", "m-1", caller="0546999999"))
    # hangup(noAnswer): lock with its stored answer and the storm count, update (missed), event.
    # It waits for the disk (a callback is promised): no statement for that on PostgreSQL.
    with (
        django_capture_on_commit_callbacks(execute=False) as queued,
        django_assert_num_queries(budget(3, waits_for_disk=True), info="hangup(noAnswer)") as ended,
    ):
        post(client, system, zammad("hangup", "m-1", caller="0546999999", cause="noAnswer"))
    assert not [q for q in ended.captured_queries if "synchronous_commit" in q["sql"]]
    assert len(queued) == 2  # the pop-up's generation, and the follow-up for the worker

    call = Call.objects.get(call_id="m-1")
    # The worker's task: the call locked with its phone system, then a "missed call" case
    # (counter, status, SLA target), the call on its timeline, a callback booked (25); on
    # PostgreSQL, the lock per number first (telephony.missed._number_locked).
    number_lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(TRANSACTION + 26 + number_lock, info="the follow-up task"):
        tasks.missed_call_follow_up(call_pk=call.pk)
    call.refresh_from_db()
    assert call.callback is not None
