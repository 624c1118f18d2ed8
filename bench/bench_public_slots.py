"""Benchmark: the public callback page (free slots of the next 10 phone days) with 50,000
booked callbacks in the database (SQLite).

Run from the project root:  .venv/bin/python bench/bench_public_slots.py [--runs 15]
                            .venv/bin/python bench/bench_public_slots.py --shape upcoming
                            .venv/bin/python bench/bench_public_slots.py --callbacks 0

Builds a throw-away SQLite database in a temporary directory (DATABASE_URL is set before
Django starts), fills it with ``--callbacks`` callbacks on 500 web cases, and renders
``/hulp/terugbellen/`` through Django's test client as an anonymous visitor (the full
request and middleware). Two shapes:

* history: all but 300 of the callbacks lie in the past year (done, cancelled, no
  answer); 300 hold places in the coming ten phone days (most slots partly booked);
* upcoming: every callback is open and lies in the coming ten phone days (far beyond
  capacity: the worst case for the count per slot; the page then offers no free time).

The sign-in page (``/accounts/login/``) is timed in the same run as the yardstick.
Prints the median, minimum and maximum wall-clock time, the median CPU time of this
process (steadier on a busy machine) and the SQL queries per render.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import common  # bench/common.py (a script's own folder is first on the path)


def setup_django(db_path: Path) -> None:
    common.setup_django(common.sqlite_url(db_path), db_path.parent)


def fill(total: int, *, upcoming_only: bool) -> None:
    from django.utils import timezone

    from calendars.configured import phone_hours
    from cases.models import Case, Channel, Status
    from scheduling.callbacks.slots import slot_starts
    from scheduling.models import Callback, CallbackState

    now = timezone.now()
    today = timezone.localdate()
    calendar = phone_hours()
    length = dt.timedelta(minutes=15)
    cases = Case.objects.bulk_create(
        Case(
            reference=f"PSO-2026-{i:05d}",
            subject="Terugbelverzoek via de website",
            channel=Channel.WEB,
            status=Status.NEW,
            created_at=now - dt.timedelta(days=3),
        )
        for i in range(500)
    )

    def slots(first: dt.date, last: dt.date) -> list[dt.datetime]:
        return [
            s for opening in calendar.openings(first, last) for s in slot_starts([opening], length)
        ]

    past = [s for s in slots(today - dt.timedelta(days=400), today) if s < now]
    coming = [s for s in slots(today, today + dt.timedelta(days=21)) if s >= now]
    rows = []
    for i in range(total):
        if upcoming_only or i < 300:
            start, state = coming[i % min(len(coming), 160)], CallbackState.SCHEDULED
        else:
            start = past[i % len(past)]
            state = [CallbackState.DONE, CallbackState.CANCELLED, CallbackState.NO_ANSWER][i % 3]
        rows.append(
            Callback(
                case=cases[i % 500],
                number=f"+3154612{i % 10000:04d}",
                slot_start=start,
                slot_minutes=15,
                state=state,
                created_at=now - dt.timedelta(days=5, minutes=i),
            )
        )
    Callback.objects.bulk_create(rows, batch_size=2000)


def time_page(path: str, runs: int) -> tuple[list[float], list[float], int, str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.get(path)  # warm caches (templates, calendars, connection)
    timings, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return timings, cpu, len(queries), response.content.decode()


def time_slots(runs: int) -> list[float]:
    """CPU of the free-slot computation alone (its three queries included)."""
    from django.utils import timezone

    from scheduling.callbacks.offer import free_slots_by_day

    free_slots_by_day(not_before=timezone.now(), phone_days=10)
    cpu = []
    for _ in range(runs):
        started = time.process_time()
        free_slots_by_day(not_before=timezone.now(), phone_days=10)
        cpu.append((time.process_time() - started) * 1000)
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--callbacks", type=int, default=50_000)
    parser.add_argument("--shape", choices=["history", "upcoming"], default="history")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        fill(args.callbacks, upcoming_only=args.shape == "upcoming")
        slots = time_page("/hulp/terugbellen/", args.runs)
        login = time_page("/accounts/login/", args.runs)
        offer = time_slots(args.runs)
    load = os.getloadavg()[0]
    days = slots[3].count('class="slot-day"')
    free = slots[3].count('name="slot"') - 1
    for name, (timings, cpu, queries, _page) in (("slot page", slots), ("login page", login)):
        print(
            f"{name}: {queries} queries; wall median {statistics.median(timings):.1f} ms "
            f"(min {min(timings):.1f}, max {max(timings):.1f}); CPU median "
            f"{statistics.median(cpu):.1f} ms"
        )
    print(f"free slots of 10 phone days alone: CPU median {statistics.median(offer):.1f} ms")
    ratio = statistics.median(slots[1]) / statistics.median(login[1])
    print(
        f"{args.callbacks} callbacks ({args.shape}); {days} phone days, {free} free times shown; "
        f"slot page / login page CPU {ratio:.2f}; {args.runs} runs; load average {load:.1f}"
    )


if __name__ == "__main__":
    main()
