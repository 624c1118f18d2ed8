"""The phone systems and blocked numbers each process keeps (telephony.known): never stale.

The rule under test: every change to a phone system or a blocked number sets a new
generation in the shared cache, and a process uses what it keeps only under the
current generation. "Another process" is this one with the list it kept before the
change put back: all it shares with the process that made the change is the cache.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telephony import known
from telephony.models import BlockedNumber
from telephony.services import phone_system_revoke
from tests.factories import PhoneSystemFactory
from tests.telephony.bridge import zammad
from tests.timehelpers import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


def post(client, system, call_id, **extra):
    data = zammad("newCall", call_id, **extra)
    return client.post(f"/cti/{system.token}/", json.dumps(data), content_type="application/json")


def test_a_kept_token_is_read_from_memory_not_from_the_database(client):
    system = PhoneSystemFactory()
    assert post(client, system, "k-1").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert post(client, system, "k-2").status_code == 200

    assert not [q for q in queries if "telephony_phonesystem" in q["sql"]]
    assert not [q for q in queries if "telephony_blockednumber" in q["sql"]]


def test_a_revoked_token_is_refused_at_once_also_by_a_process_that_kept_it(client):
    system = PhoneSystemFactory()
    assert post(client, system, "k-1").status_code == 200
    kept_elsewhere = known._known
    assert kept_elsewhere is not None and kept_elsewhere.systems

    phone_system_revoke(system=system)
    known._known = kept_elsewhere  # another process: it still holds the list it read before

    response = post(client, system, "k-2")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]


def test_a_token_made_after_the_list_was_read_is_accepted_at_once(client):
    first = PhoneSystemFactory()
    assert post(client, first, "k-1").status_code == 200
    kept_elsewhere = known._known

    second = PhoneSystemFactory(name="Tweede centrale")
    known._known = kept_elsewhere

    assert post(client, second, "k-2").status_code == 200


def test_blocking_and_unblocking_a_number_counts_at_once(client):
    system = PhoneSystemFactory()
    assert post(client, system, "k-1").json() == {}
    kept_elsewhere = known._known

    blocked = BlockedNumber.objects.create(number="+31546123456", note="Belt elke minuut")
    known._known = kept_elsewhere
    assert post(client, system, "k-2").json() == {"action": "reject", "reason": "busy"}

    kept_elsewhere = known._known
    blocked.delete()
    known._known = kept_elsewhere
    assert post(client, system, "k-3").json() == {}


def test_a_generation_the_cache_lost_costs_a_reading_not_a_wrong_answer(client):
    system = PhoneSystemFactory()
    assert post(client, system, "k-1").status_code == 200
    kept_elsewhere = known._known

    cache.clear()  # Redis restarted, or the key evicted
    phone_system_revoke(system=system)
    cache.clear()
    known._known = kept_elsewhere

    assert post(client, system, "k-2").status_code == 401


def test_what_a_process_keeps_is_read_again_after_its_maximum_age(monkeypatch):
    system = PhoneSystemFactory()
    assert known.system_for_token(system.token) is not None
    kept = known._known
    now = kept.loaded_at + known.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(known.time, "monotonic", lambda: now)

    assert known.known() is not kept
