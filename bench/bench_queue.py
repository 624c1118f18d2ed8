"""Benchmark: the morning callback queue page with 5,000 callbacks in the database (SQLite).

Run from the project root:  .venv/bin/python bench/bench_queue.py [--runs 15]

Builds a throw-away SQLite database in a temporary directory (DATABASE_URL is
set before Django starts), fills it with 5,000 callbacks and renders
``/callbacks/`` through Django's test client, signed in as a staff member. Two
shapes are timed:

* history: 5,000 callbacks spread over the past phone days (done, cancelled,
  no answer) plus today's queue of 32 (two staff, sixteen slots) and 8 overdue:
  what the helpdesk's database looks like after a year;
* all open: 5,000 callbacks all due today or overdue: the worst case (the
  page shows them 50 at a time).

Prints the median, minimum and maximum wall-clock time of several runs, the median CPU time
of this process (steadier when the machine is busy), and the SQL queries per render.
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


def fill(total: int, *, all_open: bool) -> None:
    """``total`` callbacks on 500 cases of 250 organisations, with calls and PSO statuses."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from calendars.configured import phone_hours
    from cases.models import (
        CallDirection,
        CallOutcome,
        Case,
        Channel,
        Contact,
        Organisation,
        PhoneCall,
        Priority,
        PsoLevel,
        PsoStatus,
        Status,
    )
    from scheduling.callbacks.slots import slot_starts
    from scheduling.models import Callback, CallbackState

    now = timezone.now()
    today = timezone.localdate()
    calendar = phone_hours()
    length = dt.timedelta(minutes=15)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {i}", city="Almelo") for i in range(250)
    )
    PsoStatus.objects.bulk_create(
        PsoStatus(
            organisation=o,
            level=[PsoLevel.ASPIRANT, PsoLevel.TREDE_1, PsoLevel.TREDE_3][i % 3],
            effective_from=dt.date(2024, 1, 1),
        )
        for i, o in enumerate(organisations)
    )
    contacts = Contact.objects.bulk_create(
        Contact(name=f"Beller {i}", organisation=organisations[i % 250]) for i in range(500)
    )
    cases = Case.objects.bulk_create(
        Case(
            reference=f"PSO-2026-{i:05d}",
            subject=f"Vraag {i} over de PSO-status",
            channel=Channel.PHONE,
            priority=Priority.URGENT if i % 7 == 0 else Priority.NORMAL,
            status=Status.OPEN,
            organisation=organisations[i % 250],
            contact=contacts[i],
            created_at=now - dt.timedelta(days=30),
        )
        for i in range(500)
    )
    PhoneCall.objects.bulk_create(
        PhoneCall(
            case=cases[i % 500],
            direction=CallDirection.INBOUND,
            number="+31546123456",
            started_at=now - dt.timedelta(days=3),
            outcome=CallOutcome.CALLBACK,
            inside_phone_hours=False,
        )
        for i in range(1500)
    )
    # Slots of the past year's phone days (newest first), and today's.
    past = [
        s
        for start, end in reversed(calendar.openings(today - dt.timedelta(days=400), today))
        for s in slot_starts([(start, end)], length)
        if s.date() < today
    ]
    todays = list(slot_starts(calendar.openings(today, today), length)) or [
        dt.datetime.combine(today, dt.time(8, 30), tzinfo=calendar.tz) + k * length
        for k in range(16)
    ]
    rows = []
    for i in range(total):
        if all_open:
            start = todays[i % len(todays)] if i % 10 else past[i % 50]
            state = CallbackState.SCHEDULED
        elif i < 32:
            start, state = todays[i % len(todays)], CallbackState.SCHEDULED
        elif i < 40:
            start, state = past[i], CallbackState.SCHEDULED  # overdue
        else:
            start = past[(i // 2) % len(past)]
            state = [CallbackState.DONE, CallbackState.DONE, CallbackState.CANCELLED][i % 3]
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
    Callback.objects.bulk_create(rows, batch_size=1000)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench", password="x")
    user.groups.add(Group.objects.get(name="Helpdesk staff"))


def time_page(runs: int) -> tuple[list[float], list[float], int, int]:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(get_user_model().objects.get(username="bench"))
    client.get("/callbacks/")  # warm caches (templates, calendars, connection)
    timings, cpu = [], []
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/callbacks/")
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    rows = response.content.decode().count('<tbody id="callback-')
    return timings, cpu, len(queries), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--callbacks", type=int, default=5000)
    parser.add_argument("--all-open", action="store_true", help="every callback due today")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        fill(args.callbacks, all_open=args.all_open)
        timings, cpu, queries, rows = time_page(args.runs)
    shape = "all open" if args.all_open else "history"
    load = os.getloadavg()[0]
    print(
        f"queue page, {args.callbacks} callbacks ({shape}), {rows} rows shown, "
        f"{queries} queries: wall median {statistics.median(timings):.1f} ms "
        f"(min {min(timings):.1f}, max {max(timings):.1f}); CPU median "
        f"{statistics.median(cpu):.1f} ms; {args.runs} runs; load average {load:.1f}"
    )


if __name__ == "__main__":
    main()
