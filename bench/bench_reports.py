"""Benchmark: the SLA report with 200,000 cases and 50,000 callbacks.

Run from the project root, once per database:

    .venv/bin/python bench/bench_reports.py                      # SQLite, a temp file
    .venv/bin/python bench/bench_reports.py --postgres           # PostgreSQL, 127.0.0.1:5432

Fills a throw-away database with a year of cases (1 December 2025 – 30 November
2026: 200,000 cases, a call for each phone case, 50,000 callbacks), then renders
the month report (November 2026) and the quarter report (September–November is
not a quarter: Q3 2026, July–September) through Django's test client as a
manager, several times, and prints the median wall-clock time and the SQL
queries per page. Last, it streams the case-level CSV of the whole year and
reports the peak Python memory while doing so (tracemalloc), beside the size of
the CSV, to show memory stays flat.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import common  # bench/common.py (a script's own folder is first on the path)

PG_URL = "postgres://postgres@127.0.0.1:5432/helpdesk_bench_reports"


def recreate_pg_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS helpdesk_bench_reports")
        c.execute("CREATE DATABASE helpdesk_bench_reports")


def fill(cases: int, callbacks: int, seed: int = 7) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from cases.models import Case, PhoneCall
    from scheduling.models.callbacks import Callback
    from staff.roles import MANAGER_GROUP

    rng = random.Random(seed)
    ams = dt.timezone(dt.timedelta(hours=1))
    first = dt.datetime(2025, 12, 1, tzinfo=ams)
    span = (dt.datetime(2026, 12, 1, tzinfo=ams) - first).total_seconds()
    hour = dt.timedelta(hours=1)
    user = get_user_model().objects.create_user("bench-manager", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    levels = ["none", "none", "aspirant", "trede_1", "trede_2", "trede_3"]

    # Cases arrive in time order, as they do at the helpdesk (rows of one period
    # lie together in the table, as in a real database).
    moments = sorted(first + dt.timedelta(seconds=rng.random() * span) for _ in range(cases))
    batch: list[Case] = []
    with transaction.atomic():
        for i, created in enumerate(moments):
            channel = rng.choice(("phone", "phone", "email", "email", "web"))
            priority = "urgent" if rng.random() < 0.12 else "normal"
            answered = rng.random() < 0.92
            response = hour * rng.uniform(0, 14)
            late = max(dt.timedelta(0), response - 8 * hour)
            resolved = created + response + hour * rng.uniform(1, 200) if answered else None
            batch.append(
                Case(
                    reference=f"PSO-B-{i:07d}",
                    subject=f"Vraag {i}",
                    channel=channel,
                    priority=priority,
                    status="closed" if resolved else "open",
                    created_at=created,
                    due_at=created + 8 * hour,
                    first_response_at=created + response if answered else None,
                    response_time=response if answered else None,
                    late_by=late if answered else None,
                    sla_paused_total=hour if rng.random() < 0.05 else dt.timedelta(0),
                    resolved_at=resolved,
                    pso_level_at_open=rng.choice(levels),
                )
            )
            if len(batch) == 5000:
                Case.objects.bulk_create(batch)
                batch = []
        Case.objects.bulk_create(batch)

    phone_cases = list(
        Case.objects.filter(channel="phone").values_list("pk", "created_at").order_by("pk")
    )
    with transaction.atomic():
        calls = [
            PhoneCall(
                case_id=pk,
                direction="in",
                number="+31546123456",
                started_at=created,
                inside_phone_hours=created.weekday() < 4 and 8 <= created.hour < 12,
            )
            for pk, created in phone_cases
        ]
        PhoneCall.objects.bulk_create(calls, batch_size=5000)
        rows = []
        for pk, created in rng.sample(phone_cases, min(callbacks, len(phone_cases))):
            slot = created.replace(
                minute=30 if created.minute >= 30 else 0, second=0, microsecond=0
            )
            made = slot + dt.timedelta(minutes=rng.choice((5, 10, 40, 90, 1500)))
            rows.append(
                Callback(
                    case_id=pk,
                    number="+31546123456",
                    slot_start=slot,
                    slot_minutes=15,
                    promised_slot_start=slot,
                    promised_slot_end=slot + dt.timedelta(minutes=15),
                    state=rng.choice(("done", "done", "done", "no_answer", "scheduled")),
                    attempts=rng.choice((0, 0, 1, 2, 3)),
                    completed_at=made,
                    created_at=created,
                )
            )
        Callback.objects.bulk_create(rows, batch_size=5000)


def time_page(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(timings), queries


def stream_csv(client, url: str, *, trace_memory: bool) -> tuple[int, int, int, float]:
    """Rows, bytes, peak traced memory (0 when not traced) and seconds of one CSV download.

    Memory tracing slows Python several times over, so time and memory are
    measured in separate downloads.
    """
    if trace_memory:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size = 0
    rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    peak = 0
    if trace_memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return rows - 1, size, peak, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL on 127.0.0.1")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--callbacks", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep",
        type=Path,
        help="SQLite only: keep the filled database in this folder and reuse it on the next run",
    )
    args = parser.parse_args()

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-reports-"))
    tmp.mkdir(parents=True, exist_ok=True)
    reuse = bool(args.keep) and (tmp / "bench.sqlite3").exists() and not args.postgres
    if args.postgres:
        recreate_pg_database()
        url = PG_URL
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    common.setup_django(url, tmp, migrate=False)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    if not reuse:
        fill(args.cases, args.callbacks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"filled {args.cases:,} cases and {args.callbacks:,} callbacks in "
        f"{time.perf_counter() - start:.1f} s"
    )

    client = Client()
    client.login(username="bench-manager", password="x")
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    print(
        f"machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
        f"database: {connection.vendor}"
    )
    for label, query in (
        ("month (November 2026)", "period=month&date=2026-11-15"),
        ("quarter (Q3 2026)", "period=quarter&date=2026-08-15"),
    ):
        client.get(f"/reports/?{query}")  # warm caches
        median, queries = time_page(client, f"/reports/?{query}", args.runs)
        print(
            f"report, {label}: median {median * 1000:.0f} ms over {args.runs} runs, "
            f"{queries} SQL queries"
        )
    year = "/reports/cases.csv?period=custom&start=2025-12-01&end=2026-11-30"
    rows, size, _peak, elapsed = stream_csv(client, year, trace_memory=False)
    print(f"case CSV of the year: {rows:,} rows, {size / 1e6:.1f} MB in {elapsed:.1f} s")
    month = "/reports/cases.csv?period=month&date=2026-11-15"
    month_rows, _size, month_peak, _elapsed = stream_csv(client, month, trace_memory=True)
    _rows, _size, year_peak, _elapsed = stream_csv(client, year, trace_memory=True)
    print(
        f"peak Python memory while streaming: {month_peak / 1e6:.1f} MB for a month "
        f"({month_rows:,} rows), {year_peak / 1e6:.1f} MB for the year ({rows:,} rows)"
    )


if __name__ == "__main__":
    main()
