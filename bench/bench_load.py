"""Benchmark: every staff page under twenty people at once, at 200,000 cases.

Run from the project root:

    .venv/bin/python bench/bench_load.py                  # PostgreSQL, 200,000 cases
    .venv/bin/python bench/bench_load.py --build-only     # only build (or finish) the data set
    .venv/bin/python bench/bench_load.py --rebuild        # drop the database and build again
    .venv/bin/python bench/bench_load.py --sqlite         # SQLite, 20,000 cases
    .venv/bin/python bench/bench_load.py --pages floor,cases_q --duration 60

1. **Data**: ``bench/dataset.py`` fills the database ``helpdesk_bench13`` on
   127.0.0.1:5432 (or a SQLite file under ``var/bench/``); a build that was
   interrupted continues, a finished one is reused. Then ``ANALYZE``.
2. **Queries per request**: each page once through Django's test client as a
   signed-in staff member, counting its SQL queries.
3. **Served**: gunicorn (``helpdesk/gunicorn.conf.py``, ``--workers`` processes,
   production settings) on a free port of 127.0.0.1, with ``CONN_MAX_AGE`` from
   ``--conn-max-age``. *One user*: each page alone, ``--solo`` times. *Twenty users*:
   ``--users`` signed-in staff members, each waiting 2.5–7.5 s between requests and
   asking for a random page, for ``--duration`` seconds. *Saturation*: per page,
   ``--clients`` clients without think time for ``--saturation-seconds`` seconds.
   The floor is the login page GET with a session, a page of the app that does
   almost nothing, measured in the same runs.
4. Prints p50/p95/p99 and the ratios to the floor as a Markdown table, with the
   machine and its load average before and after. Gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import common  # bench/common.py (a script's own folder is first on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
#: One data set per checkout can be kept apart: BENCH13_PG_NAME=helpdesk_bench13_mine.
PG_NAME = os.environ.get("BENCH13_PG_NAME", "helpdesk_bench13")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
SQLITE_DIR = ROOT / "var" / "bench"
#: No part of a run, however slow the machine, goes on longer than this.
DEADLINE_SECONDS = 900
#: The pages used while a caller is on the line: their target is 2x the floor, not 3x.
ON_THE_LINE = {
    "dashboard",
    "call_log",
    "search_number",
    "search_name",
    "search_kvk",
    "case_long",
    "case_200",
}


def environment(database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "ERROR",
        "HELPDESK_VAR_DIR": str(SQLITE_DIR),
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def ensure_pg_database(rebuild: bool) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        if rebuild:
            c.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone()
        if not exists:
            c.execute(f"CREATE DATABASE {PG_NAME}")


def prepare(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Build the data set, count each page's queries; the pages and the users' sessions."""
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        database = SQLITE_DIR / "bench13.sqlite3"
        if args.rebuild and database.exists():
            database.unlink()
        url = f"sqlite:///{database}"
    else:
        ensure_pg_database(args.rebuild)
        url = PG_URL
    env = environment(url)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    shape = dataset.Shape.scaled(0.1) if args.sqlite else dataset.Shape()
    started = time.perf_counter()
    print(f"building (or finishing) the data set: {shape}", flush=True)
    dataset.build(shape)
    with connection.cursor() as cursor:
        # As autovacuum leaves a settled database: statistics, and the visibility map
        # that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"data set ready in {time.perf_counter() - started:.0f} s", flush=True)
    if args.build_only:
        return env, {}, []
    pages = page_urls(shape)
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = {name: url for name, url in pages.items() if name in wanted or name == "floor"}
    sessions = signed_in_sessions(dataset.staff_usernames(shape))
    count_queries(pages, dataset.staff_usernames(shape)[0])
    return env, pages, sessions


def page_urls(shape) -> dict[str, str]:
    """The staff pages of the issue, with real ids of the data set in their addresses."""
    from bench import dataset
    from cases.models import Case, Category, Organisation, PhoneNumber

    long_ids = dataset.long_case_ids(shape)
    long_case = Case.objects.get(pk=long_ids[0])
    # The second long case has 200-300 entries: the workspace issue's case page.
    case_200 = Case.objects.get(pk=long_ids[1])
    phone = PhoneNumber.objects.filter(contact__isnull=False).order_by("pk").first()
    busy_org = (
        Organisation.objects.filter(cases__status__in=dataset.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    organisation = Organisation.objects.get(pk=busy_org)
    category = Category.objects.filter(slug__startswith="bench-").order_by("pk").first()
    return {
        "floor": "/accounts/login/",
        "dashboard": "/",
        "cases": "/cases/",
        "cases_status": "/cases/?status=active",
        "cases_channel": "/cases/?channel=email",
        "cases_category": f"/cases/?category={category.pk}",
        "cases_priority": "/cases/?priority=urgent",
        "cases_assignee": "/cases/?assignee=me",
        "cases_organisation": f"/cases/?organisation={organisation.pk}",
        "cases_pso_then": "/cases/?pso_at_open=trede_2",
        "cases_pso_now": "/cases/?pso_now=trede_3",
        "cases_q": "/cases/?q=jansen",
        "cases_due": "/cases/?sort=due&status=active",
        "case_long": f"/cases/{long_case.reference}/",
        "case_200": f"/cases/{case_200.reference}/",
        "call_log": "/calls/new/",
        "search_number": "/calls/search/?q=62001",
        "search_name": "/calls/search/?q=de+vries",
        "search_kvk": f"/calls/search/?q={organisation.kvk_number}",
        "callbacks": "/callbacks/",
        "organisations": "/organisations/",
        "organisation": f"/organisations/{organisation.pk}/",
        "mail_unprocessed": "/mail/unprocessed/",
        "at_risk": "/sla/at-risk/",
        # The header search (the workspace issue: p95 under 100 ms for each of these).
        "find_word": "/search/?q=certificaat",
        "find_phone": f"/search/?q={phone_words(phone.number)}",
        "find_reference": f"/search/?q={case_200.reference}",
    }


def phone_words(number: str) -> str:
    """A stored E.164 number as a person types it: ``+31620000123`` as ``06+2000+0123``."""
    national = "0" + number.removeprefix("+31")
    return f"{national[:2]}+{national[2:6]}+{national[6:]}"


HTMX_PAGES = {"search_number", "search_name", "search_kvk"}


def signed_in_sessions(usernames: list[str]) -> list[str]:
    """A session key per staff member, as signing in leaves it (without 20 password hashes)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    keys = []
    for name in usernames:
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        keys.append(client.cookies["sessionid"].value)
    return keys


def count_queries(pages: dict[str, str], username: str, runs: int = 3) -> None:
    """Each page through the test client: its queries, and the median of ``runs`` loads
    of wall time, this process's CPU time (Python: views, templates) and SQL time."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    print("\nin process (test client, signed in): queries, median wall / CPU / SQL time")
    for name, url in pages.items():
        headers = {"HX-Request": "true"} if name in HTMX_PAGES else {}
        client.get(url, headers=headers)
        walls, cpus, sqls = [], [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url, headers=headers)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, f"{name} {url} answered {response.status_code}"
            sqls.append(sum(float(q["time"]) for q in captured.captured_queries))
        QUERIES[name] = len(captured)
        IN_PROCESS[name] = tuple(statistics.median(v) for v in (walls, cpus, sqls))
        wall, cpu, sql = IN_PROCESS[name]
        print(
            f"  {name:<20} {len(captured):3d} q  {wall * 1000:7.0f} ms  CPU {cpu * 1000:6.0f} ms"
            f"  SQL {sql * 1000:6.0f} ms  {url}",
            flush=True,
        )


IN_PROCESS: dict[str, tuple[float, float, float]] = {}
QUERIES: dict[str, int] = {}


# --- The served part ------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], workers: int, conn_max_age: int) -> Server:
    port = free_port()
    env = {
        **os.environ,
        **env,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "CONN_MAX_AGE": str(conn_max_age),
    }
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "helpdesk/gunicorn.conf.py",
         "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    server = Server(port=port, process=process)
    common.wait_until_serving(
        process, lambda: get(server, "/accounts/login/", None)[0] == 200, seconds=30
    )
    return server


def stop_server(server: Server) -> None:
    common.stop_process_group(server.process)


def get(server: Server, url: str, session: str | None, htmx: bool = False) -> tuple[int, float]:
    """One GET on its own connection: the status and the seconds until the body was read."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    headers = {"Host": "127.0.0.1"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    if htmx:
        headers["HX-Request"] = "true"
    started = time.perf_counter()
    try:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


@dataclass
class Samples:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, status: int, seconds: float) -> None:
        with self.lock:
            if status != 200:
                self.errors[name] = self.errors.get(name, 0) + 1
            self.times.setdefault(name, []).append(seconds)


def fetch(server: Server, name: str, url: str, session: str) -> tuple[int, float]:
    return get(server, url, session, htmx=name in HTMX_PAGES)


def solo(server: Server, pages: dict[str, str], session: str, runs: int) -> Samples:
    samples = Samples()
    for name, url in pages.items():
        fetch(server, name, url, session)  # warm this page's caches in some worker
        for _ in range(runs):
            samples.add(name, *fetch(server, name, url, session))
    return samples


def working_pace(
    server: Server, pages: dict[str, str], sessions: list[str], users: int, duration: float
) -> Samples:
    """``users`` people, each asking for a random page every 2.5–7.5 s, for ``duration`` s."""
    samples = Samples()
    stop_at = time.monotonic() + duration
    names = list(pages)

    def person(n: int) -> None:
        rng = random.Random(n)
        time.sleep(rng.uniform(0, 5))  # nobody starts at the same moment
        while time.monotonic() < stop_at:
            # Every page comes up equally often: a shuffled round per person.
            for name in rng.sample(names, len(names)):
                if time.monotonic() >= stop_at:
                    return
                samples.add(name, *fetch(server, name, pages[name], sessions[n % len(sessions)]))
                time.sleep(rng.uniform(2.5, 7.5))

    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 180)
    return samples


def saturation(
    server: Server, pages: dict[str, str], sessions: list[str], clients: int, seconds: float
) -> dict[str, float]:
    """Requests per second of each page with ``clients`` clients asking without pause."""
    rates = {}
    for name, url in pages.items():
        done = [0] * clients
        stop_at = time.monotonic() + seconds

        def client(
            n: int, name: str = name, url: str = url, stop_at: float = stop_at, done=done
        ) -> None:
            while time.monotonic() < stop_at:
                fetch(server, name, url, sessions[n % len(sessions)])
                done[n] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        rates[name] = sum(done) / (time.monotonic() - started)
    return rates


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(pages: dict[str, str], alone: Samples, busy: Samples, rates: dict[str, float]) -> None:
    floor_p95 = percentile(busy.times["floor"], 0.95)
    floor_rate = rates.get("floor")
    print(
        "\n| page | queries | one user p50 | one user p95 | 20 users p50 | p95 | p99 | n "
        "| × floor (p95) | target | saturation req/s | ÷ floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for name in pages:
        times = busy.times.get(name) or [float("nan")]
        p95 = percentile(times, 0.95)
        target = 2 if name in ON_THE_LINE else 3
        ratio = p95 / floor_p95
        verdict = "met" if ratio <= target else f"**missed** ({target}×)"
        if name == "floor":
            verdict = "floor"
        rate = rates.get(name)
        rate_cell = f"{rate:.1f}" if rate is not None else "–"
        share = f"{rate / floor_rate:.2f}" if rate is not None and floor_rate else "–"
        errors = busy.errors.get(name, 0) + alone.errors.get(name, 0)
        print(
            f"| {name}{' (errors: ' + str(errors) + ')' if errors else ''} | "
            f"{QUERIES.get(name, '–')} | {statistics.median(alone.times[name]) * 1000:.0f} ms | "
            f"{percentile(alone.times[name], 0.95) * 1000:.0f} ms | "
            f"{percentile(times, 0.5) * 1000:.0f} ms | {p95 * 1000:.0f} ms | "
            f"{percentile(times, 0.99) * 1000:.0f} ms | {len(times)} | {ratio:.1f} | {verdict} | "
            f"{rate_cell} | {share} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite, a tenth of the data")
    parser.add_argument("--rebuild", action="store_true", help="drop the data set and build again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--pages", help="comma-separated page names (the floor is always in)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE of the server")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=240.0, help="seconds at working pace")
    parser.add_argument("--solo", type=int, default=5, help="runs of each page alone")
    parser.add_argument("--clients", type=int, default=8, help="clients in the saturation run")
    parser.add_argument(
        "--saturation-seconds", type=float, default=5.0, help="0: no saturation run"
    )
    args = parser.parse_args()

    print(f"machine: nproc={os.cpu_count()}; before: {subprocess.getoutput('uptime').strip()}")
    env, pages, sessions = prepare(args)
    if args.build_only:
        return
    env["SECRET_KEY"] = os.environ["SECRET_KEY"]
    server = start_server(env, args.workers, args.conn_max_age)
    try:
        # Every worker imports the app on its first requests: warm them all first.
        saturation(server, {"floor": pages["floor"]}, sessions, args.workers * 2, 3.0)
        alone = solo(server, pages, sessions[0], args.solo)
        print(f"one user done; load: {os.getloadavg()[0]:.2f}", flush=True)
        busy = working_pace(server, pages, sessions, args.users, args.duration)
        print(f"{args.users} users done; load: {os.getloadavg()[0]:.2f}", flush=True)
        rates = {}
        if args.saturation_seconds > 0:
            rates = saturation(server, pages, sessions, args.clients, args.saturation_seconds)
            print(f"saturation done; load: {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        stop_server(server)
    print(
        f"\ngunicorn {args.workers} workers, CONN_MAX_AGE={args.conn_max_age}, "
        f"{urlsplit(env['DATABASE_URL']).scheme}; {args.users} users for {args.duration:.0f} s; "
        f"after: {subprocess.getoutput('uptime').strip()}"
    )
    report(pages, alone, busy, rates)


if __name__ == "__main__":
    main()
