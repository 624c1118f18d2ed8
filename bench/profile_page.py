"""Where one staff page spends its time, on the load benchmark's data set.

Run from the project root, after ``bench/bench_load.py --build-only``:

    .venv/bin/python bench/profile_page.py /cases/?q=jansen            # queries, slowest first
    .venv/bin/python bench/profile_page.py /cases/ --explain 2       # plans of the 2 slowest
    .venv/bin/python bench/profile_page.py /callbacks/ --profile 25  # cProfile, top 25
    .venv/bin/python bench/profile_page.py /calls/search/?q=62001 --htmx

The page is loaded through Django's test client as the data set's first staff member
(once to warm the per-process caches, then ``--runs`` times); printed: the median wall
and CPU time, the SQL time Django saw, every query with its time (slowest first), and
on request the plans of the slowest queries (PostgreSQL: ``EXPLAIN (ANALYZE, BUFFERS)``;
SQLite: ``EXPLAIN QUERY PLAN``) and a profile of one load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import PG_URL, SQLITE_DIR, environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--sqlite", action="store_true", help="the SQLite tenth of the data set")
    parser.add_argument("--htmx", action="store_true", help="ask as htmx does (HX-Request)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--explain", type=int, default=0, help="plans of the N slowest queries")
    parser.add_argument("--profile", type=int, default=0, help="cProfile: the top N functions")
    args = parser.parse_args()

    url = f"sqlite:///{SQLITE_DIR / 'bench13.sqlite3'}" if args.sqlite else PG_URL
    os.environ.update(environment(url))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import dataset

    client = Client()
    username = dataset.staff_usernames(dataset.Shape())[0]
    client.force_login(get_user_model().objects.get(username=username))
    headers = {"HX-Request": "true"} if args.htmx else {}
    assert client.get(args.url, headers=headers).status_code == 200
    walls, cpus = [], []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(args.url, headers=headers)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    sql = sum(float(q["time"]) for q in queries)
    print(
        f"{args.url}: {len(queries)} queries; median wall {statistics.median(walls) * 1000:.0f} ms,"
        f" CPU {statistics.median(cpus) * 1000:.0f} ms, SQL {sql * 1000:.0f} ms"
        f" (load {os.getloadavg()[0]:.1f})"
    )
    for q in queries:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    for q in queries[: args.explain]:
        print(f"\n--- {float(q['time']) * 1000:.1f} ms\n{q['sql']}\n")
        explain = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            cursor.execute(explain + q["sql"])
            for row in cursor.fetchall():
                print("   ", " ".join(str(c) for c in row))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(args.url, headers=headers)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
