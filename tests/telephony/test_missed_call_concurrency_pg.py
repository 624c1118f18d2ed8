"""Two missed calls from one number, followed up by two workers at the same moment (PostgreSQL).

Each thread has its own connection and transaction; SQLite serialises every
writer, so there the race cannot happen and the test skips.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from scheduling.models import Callback
from telephony.events import cti_event_receive
from telephony.missed import missed_call_follow_up
from telephony.models import Call
from telephony.payloads import zammad_event
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.scheduling.test_concurrency_pg import run_together
from tests.telephony.bridge import zammad
from tests.timehelpers import local

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(f"row locks need PostgreSQL; this run uses {connection.vendor}")


def test_two_missed_calls_from_one_number_at_once_book_one_callback(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)
    CallerCaseFactory()
    system = PhoneSystemFactory()
    with mock.patch("telephony.missed.enqueue"):  # stored missed; the workers come below
        for call_id in ("m-1", "m-2"):
            data = zammad("hangup", call_id, cause="noAnswer")
            cti_event_receive(
                system=system, event=zammad_event(data), payload=data, now=timezone.now()
            )
    pks = list(Call.objects.filter(missed=True).values_list("pk", flat=True))
    assert len(pks) == 2

    results = run_together(
        *[lambda pk=pk: missed_call_follow_up(call_pk=pk, now=timezone.now()) for pk in pks]
    )

    assert all(isinstance(r, Call) for r in results), results
    callback = Callback.objects.get()
    assert set(callback.telephony_calls.values_list("call_id", flat=True)) == {"m-1", "m-2"}
