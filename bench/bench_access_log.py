"""Benchmark: what recording a page view in the access log costs (SQLite or PostgreSQL).

Run from the project root:

    .venv/bin/python bench/bench_access_log.py                  # throw-away SQLite
    .venv/bin/python bench/bench_access_log.py --database postgres://postgres@127.0.0.1:5432/helpdesk_bench_access

Renders a case page through Django's test client as a signed-in staff member, once with
the access log middleware and once without it (interleaved, so load changes hit both),
and the sign-in page for comparison. Also times the middleware's insert inside those page
views, and ``access_record`` alone. On a busy machine the difference of two page medians
is mostly noise; the insert timed inside the views is the figure to read.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import common  # bench/common.py (a script's own folder is first on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIDDLEWARE = "privacy.middleware.AccessLogMiddleware"


def setup_django(url: str, var_dir: Path) -> None:
    common.setup_django(url, var_dir)


def fill() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cases.models import Contact, Organisation
    from cases.services import CallDetails, call_log, case_open, note_add

    organisation = Organisation.objects.create(name="Gemeente Almelo")
    contact = Contact.objects.create(name="Jan Jansen", organisation=organisation)
    user = get_user_model().objects.create_user("bench", password="x")
    user.groups.add(Group.objects.get(name="Helpdesk staff"))
    case = case_open(
        subject="Vraag over de PSO-status", channel="phone", contact=contact, actor=user
    )
    from django.utils import timezone

    for i in range(10):
        note_add(case=case, author=user, body=f"Notitie {i}")
        call_log(
            case=case,
            actor=user,
            call=CallDetails(number="+31546123456", started_at=timezone.now()),
        )
    return case.reference


def clients():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username="bench")
    logged = Client()
    logged.force_login(user)
    without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    original = settings.MIDDLEWARE
    settings.MIDDLEWARE = without
    unlogged = Client()
    unlogged.force_login(user)
    unlogged.get("/")  # the handler loads the middleware now, without the log
    settings.MIDDLEWARE = original
    return logged, unlogged


def timed(client, url: str) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database", default="", help="a PostgreSQL URL; default SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        setup_django(url, Path(tmp))
        reference = fill()
        from django.test import Client

        import privacy.middleware
        from privacy.models import AccessEntry
        from privacy.services import access_record

        # The middleware's own work, timed inside the page views themselves.
        in_views: list[float] = []
        record = privacy.middleware.access_record

        def timed_record(**kwargs):
            started = time.perf_counter()
            try:
                return record(**kwargs)
            finally:
                in_views.append((time.perf_counter() - started) * 1000)

        privacy.middleware.access_record = timed_record
        page = f"/cases/{reference}/"
        logged, unlogged = clients()
        anonymous = Client()
        for client in (logged, unlogged):
            timed(client, page)
        timed(anonymous, "/accounts/login/")
        with_log, without_log, login = [], [], []
        for i in range(args.runs):
            # Alternate which goes first, so neither gains from the other's warm caches.
            if i % 2:
                with_log.append(timed(logged, page))
                without_log.append(timed(unlogged, page))
            else:
                without_log.append(timed(unlogged, page))
                with_log.append(timed(logged, page))
            login.append(timed(anonymous, "/accounts/login/"))
        assert AccessEntry.objects.count() >= args.runs
        user = logged.session and AccessEntry.objects.first().user
        inserts = []
        for _ in range(args.runs):
            started = time.perf_counter()
            access_record(user=user, kind="case", ip="127.0.0.1", case_reference=reference)
            inserts.append((time.perf_counter() - started) * 1000)

        def med(rows, i):
            return statistics.median(r[i] for r in rows)

        engine = "PostgreSQL" if args.database else "SQLite"
        print(f"{engine}, {args.runs} interleaved runs, load average {os.getloadavg()[0]:.1f}")
        for name, rows in (
            ("case page, access log on", with_log),
            ("case page, access log off", without_log),
            ("sign-in page (comparison)", login),
        ):
            print(f"  {name}: wall {med(rows, 0):.2f} ms, CPU {med(rows, 1):.2f} ms")
        print(
            f"  difference: wall {med(with_log, 0) - med(without_log, 0):+.2f} ms, "
            f"CPU {med(with_log, 1) - med(without_log, 1):+.2f} ms"
        )
        print(f"  the insert inside the page views: median {statistics.median(in_views):.3f} ms")
        print(f"  access_record alone (one INSERT): median {statistics.median(inserts):.3f} ms")
        print(f"  case page / sign-in page: {med(with_log, 0) / med(login, 0):.1f}x")
        if args.database:
            from django.db import connection

            connection.close()


if __name__ == "__main__":
    main()
