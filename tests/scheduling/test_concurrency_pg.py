"""Claims and bookings under real concurrency: two people at the same moment, on PostgreSQL.

Each thread has its own database connection (Django's connections are per
thread) and its own transaction. SQLite serialises every writer, so there the
race cannot happen and these tests say so and skip.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from scheduling.callbacks import booking
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.errors import AlreadyClaimed, SlotUnavailable
from scheduling.callbacks.queue import callback_claim
from scheduling.models import Callback, CallbackWeekdayCapacity
from tests.factories import CallbackFactory, CallerCaseFactory, UserFactory
from tests.timehelpers import local

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THURSDAY_AFTERNOON = local(2026, 11, 26, 13, 0)
MONDAY_0830 = local(2026, 11, 30, 8, 30)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(f"row locks need PostgreSQL; this run uses {connection.vendor}")


def run_together(*jobs):
    """Run each job in its own thread, released at the same moment; return results/errors."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between counting a slot and booking it, as a busy server would."""
    original = booking.slot_bookings

    def counted_slowly(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(booking, "slot_bookings", counted_slowly)


def test_two_people_claiming_one_callback_exactly_one_wins():
    callback = CallbackFactory(now=THURSDAY_AFTERNOON)
    users = UserFactory.create_batch(4)

    results = run_together(
        *[lambda u=u: callback_claim(callback=callback, actor=u, now=MONDAY_0830) for u in users]
    )

    winners = [r for r in results if isinstance(r, Callback)]
    losers = [r for r in results if isinstance(r, AlreadyClaimed)]
    assert len(winners) == 1, results
    assert len(losers) == len(users) - 1, results
    callback.refresh_from_db()
    assert callback.claimed_by_id == winners[0].claimed_by_id


def test_two_people_asking_for_the_last_place_in_a_slot_only_one_gets_it(slow_count):
    CallbackWeekdayCapacity.objects.filter(weekday=0).update(capacity=2)
    case = CallerCaseFactory()
    callback_schedule(case=case, number="0546123456", actor=None, now=THURSDAY_AFTERNOON)

    def ask():
        return callback_schedule(
            case=case,
            number="0546123456",
            actor=None,
            requested_at=local(2026, 11, 30, 8, 35),
            now=THURSDAY_AFTERNOON,
        )

    results = run_together(ask, ask)

    assert sum(isinstance(r, Callback) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, SlotUnavailable)]
    assert len(refused) == 1, results
    assert refused[0].choices[0] == local(2026, 11, 30, 8, 45)
    assert Callback.objects.filter(slot_start=MONDAY_0830).count() == 2


def test_two_people_booking_the_first_free_place_one_is_moved_to_the_next_slot(slow_count):
    CallbackWeekdayCapacity.objects.filter(weekday=0).update(capacity=2)
    case = CallerCaseFactory()
    callback_schedule(case=case, number="0546123456", actor=None, now=THURSDAY_AFTERNOON)

    def book():
        return callback_schedule(case=case, number="0546123456", actor=None, now=THURSDAY_AFTERNOON)

    results = run_together(book, book)

    assert all(isinstance(r, Callback) for r in results), results
    assert sorted(r.slot_start for r in results) == [MONDAY_0830, local(2026, 11, 30, 8, 45)]
    assert Callback.objects.filter(slot_start=MONDAY_0830).count() == 2
