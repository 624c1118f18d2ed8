"""Benchmark: one call event from the phone system, and the pop-up endpoint staff browsers poll.

Run from the project root (PostgreSQL; the database is made and dropped by the script):

    .venv/bin/python bench/bench_telephony.py --database-url postgres://postgres@127.0.0.1:5432/bench_telephony
    .venv/bin/python bench/bench_telephony.py --contacts 20000 --cases 40000   # smaller

Fills the database with ``--contacts`` contacts (each with a phone number, in
organisations of 20) and ``--cases`` cases on them, then times, through Django's
test client (full middleware, as gunicorn calls the app):

* ``POST /cti/<token>/`` events in Zammad's format: a newCall from a known
  number (the number match), its answer, its hangup; and a newCall then
  hangup(noAnswer), which stores the call missed and queues its follow-up (the
  enqueue after the commit included); then that follow-up task on its own (a new
  missed-call case and a callback), as the worker runs it;
* the pop-up's poll as a signed-in staff member's browser makes it (with its key
  and poll token): while nothing rings (204), while one call rings and the pop-up
  already shows it (204), and the render when it starts ringing;
* ``GET /accounts/login/`` in the same run, as the yardstick.

Prints p50 and p95 wall clock, the CPU time of this process per request, SQL
queries per request, and the plan of the number match.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import common  # bench/common.py (a script's own folder is first on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        ).fetchone()
    return found is not None


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def setup_django(url: str) -> None:
    os.environ.setdefault("TELEPHONY_EVENTS_PER_MINUTE", "100000")
    common.setup_django(url)


def number_of(n: int) -> str:
    # Dutch landline numbers in the 0546 area: +31 546 xxxxxx (valid in the numbering plan).
    return f"+31546{n:06d}"


def fill(contacts: int, cases: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from cases.models import Case, Channel, Contact, Organisation, PhoneNumber, Priority, Status

    now = timezone.now()
    batch = 5000
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisatie {n}") for n in range(contacts // 20 + 1)],
        batch_size=batch,
    )
    people = Contact.objects.bulk_create(
        [
            Contact(name=f"Contact {n}", organisation=organisations[n // 20])
            for n in range(contacts)
        ],
        batch_size=batch,
    )
    PhoneNumber.objects.bulk_create(
        [PhoneNumber(number=number_of(n), contact=c) for n, c in enumerate(people)],
        batch_size=batch,
    )
    Case.objects.bulk_create(
        [
            Case(
                reference=f"PSO-BENCH-{n:07d}",
                subject=f"Vraag {n}",
                channel=Channel.PHONE,
                priority=Priority.NORMAL,
                status=Status.RESOLVED if n % 10 else Status.OPEN,
                contact=people[n % contacts],
                organisation=people[n % contacts].organisation,
                created_at=now,
            )
            for n in range(cases)
        ],
        batch_size=batch,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn, runs: int) -> tuple[list[float], list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, queries = [], [], 0
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            fn(n)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        queries = len(captured.captured_queries)
    return walls, cpus, queries


def wsgi(handler, method: str, path: str, *, query: str = "", body: bytes = b"") -> str:
    """One request into the WSGI handler, as gunicorn makes it; the status line."""
    import io

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    response = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    for _chunk in response:
        pass
    response.close()
    return status[0]


def drop_queued_tasks() -> None:
    """The missed calls' follow-ups queued in the broker: no worker runs in the bench."""
    from django_q.brokers import get_broker

    get_broker().purge_queue()


def show(figures: list) -> None:
    login_cpu = statistics.median(figures[-1][2])
    print(
        f"{'what':44} {'p50':>8} {'p95':>8} {'CPU p50':>8} {'CPU p95':>8} {'queries':>7}"
        f" {'× login':>8}"
    )
    for name, walls, cpus, queries in figures:
        print(
            f"{name:44} {statistics.median(walls) * 1000:7.2f}ms {p95(walls) * 1000:7.2f}ms "
            f"{statistics.median(cpus) * 1000:7.2f}ms {p95(cpus) * 1000:7.2f}ms {queries:7d} "
            f"{statistics.median(cpus) / login_cpu:8.2f}"
        )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_telephony"
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a run with --keep left (filled once; implies --keep)",
    )
    args = parser.parse_args()

    if not (args.reuse and database_exists(args.database_url)):
        make_database(args.database_url)
        args.reuse = False
    setup_django(args.database_url)
    try:
        run(args)
    finally:
        if not (args.keep or args.reuse):
            drop_database(args.database_url)


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client

    from staff.roles import STAFF_GROUP
    from telephony.services import phone_system_create

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from cases.models import Case

    started = time.perf_counter()
    if args.reuse and Case.objects.count() >= args.cases:
        print(f"reusing the filled database ({Case.objects.count()} cases)")
    else:
        fill(args.contacts, args.cases)
        print(
            f"filled {args.contacts} contacts, {args.cases} cases "
            f"in {time.perf_counter() - started:.0f} s"
        )
    from django.utils import timezone

    from telephony.models import Call

    # A run before may have left a call ringing: end it, so "nothing rings" is true.
    Call.objects.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    # Call ids of this run only, so a reused database never sees a repeat from a run before.
    run_tag = f"{time.time_ns():x}"
    _system, token = phone_system_create(name="bench", actor=None)
    cti = Client()
    url = f"/cti/{token}/"
    rng = random.Random(11)

    def event(kind: str, call_id: str, number: str, **extra) -> None:
        data = {
            "event": kind,
            "from": number,
            "to": "+31307001234",
            "direction": "in",
            "callId": call_id,
            "user": ["Bench"],
            **extra,
        }
        response = cti.post(url, json.dumps(data), content_type="application/json")
        assert response.status_code == 200, response.content

    def known() -> str:
        return number_of(rng.randrange(args.contacts))

    figures = []
    calls: list[tuple[str, str]] = []

    def new_call(n: int) -> None:
        number = known()
        calls.append((f"{run_tag}-b-{n}", number))
        event("newCall", f"{run_tag}-b-{n}", number)

    figures.append(("CTI newCall, known number (match)", *timed(new_call, args.runs)))
    figures.append(
        ("CTI answer", *timed(lambda n: event("answer", *calls[n], answeringNumber="1"), args.runs))
    )
    figures.append(
        ("CTI hangup (answered)", *timed(lambda n: event("hangup", *calls[n]), args.runs))
    )
    figures.append(
        (
            "CTI newCall repeated (duplicate)",
            *timed(lambda n: event("newCall", *calls[n]), args.runs),
        )
    )
    missed_runs = min(args.runs, 100)
    for n in range(missed_runs):
        event("newCall", f"{run_tag}-m-{n}", known())

    def missed(n: int) -> None:
        event(
            "hangup", f"{run_tag}-m-{n}", number_of(rng.randrange(args.contacts)), cause="noAnswer"
        )

    figures.append(("CTI hangup(noAnswer): missed, queued", *timed(missed, missed_runs)))
    # The worker's part, timed on its own: the case and the callback of each missed call,
    # as the task does them (no worker runs here; the queued tasks are dropped).
    from telephony import tasks

    missed_pks = list(
        Call.objects.filter(call_id__startswith=f"{run_tag}-m-", missed=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    figures.append(
        (
            "  its task (worker): case + callback",
            *timed(lambda n: tasks.missed_call_follow_up(call_pk=missed_pks[n]), len(missed_pks)),
        )
    )
    drop_queued_tasks()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.filter(username="bench-staff").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-staff", password="bench-pass-123456")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    staff = Client()
    staff.force_login(user)

    def next_poll(response) -> str:
        """The poll the answer asks for next (its key and signed poll token)."""
        url = response.content.decode().split('hx-get="', 1)[1].split('"', 1)[0]
        return html.unescape(url)

    quiet_poll = next_poll(staff.get("/telephony/ringing/"))

    def quiet(n: int) -> None:
        assert staff.get(quiet_poll).status_code == 204

    figures.append(("pop-up poll, nothing rings (204)", *timed(quiet, args.runs)))
    event("newCall", f"{run_tag}-ringing", known())
    ringing_poll = next_poll(staff.get(quiet_poll))

    def unchanged(n: int) -> None:
        assert staff.get(ringing_poll).status_code == 204

    figures.append(("pop-up poll, one call rings, shown (204)", *timed(unchanged, args.runs)))
    figures.append(
        (
            "pop-up render, one call rings",
            *timed(lambda n: staff.get("/telephony/ringing/?shown="), 50),
        )
    )
    anonymous = Client()
    figures.append(
        (
            "GET /accounts/login/ (yardstick)",
            *timed(lambda n: anonymous.get("/accounts/login/"), 50),
        )
    )

    print("\nThrough Django's test client (it builds each request and response itself):")
    quiet_cpu = statistics.median(figures[6][2])
    show(figures)
    print(
        "20 staff polling once a second while nothing rings: "
        f"{20 * quiet_cpu * 100:.2f} % of a core"
    )

    # The same requests straight into the WSGI handler, as gunicorn calls it: without the
    # test client's own work, which costs more than the quiet poll itself.
    handler = WSGIHandler()
    event("hangup", f"{run_tag}-ringing", known())  # quiet again
    poll_path, _, poll_query = next_poll(staff.get("/telephony/ringing/")).partition("?")

    def direct_quiet(n: int) -> None:
        status = wsgi(handler, "GET", poll_path, query=poll_query)
        assert status.startswith("204"), status

    def call_event(kind: str, call_id: str, number: str, **extra) -> None:
        data = {"event": kind, "from": number, "to": "+31307001234", "direction": "in"}
        body = json.dumps({**data, "callId": call_id, "user": ["Bench"], **extra}).encode()
        assert wsgi(handler, "POST", url, body=body).startswith("200"), call_id

    calls[:] = [(f"{run_tag}-w-{n}", known()) for n in range(args.runs)]
    for n in range(missed_runs):
        call_event("newCall", f"{run_tag}-wm-{n}", known())
    direct = [
        (
            "CTI newCall, known number (match)",
            *timed(lambda n: call_event("newCall", *calls[n]), args.runs),
        ),
        (
            "CTI answer",
            *timed(lambda n: call_event("answer", *calls[n], answeringNumber="1"), args.runs),
        ),
        ("CTI hangup (answered)", *timed(lambda n: call_event("hangup", *calls[n]), args.runs)),
        (
            "CTI hangup(noAnswer): missed, queued",
            *timed(
                lambda n: call_event("hangup", f"{run_tag}-wm-{n}", known(), cause="noAnswer"),
                missed_runs,
            ),
        ),
        (
            "pop-up poll, nothing rings (204)",
            *timed(
                lambda n: (
                    wsgi(handler, "GET", poll_path, query=poll_query).startswith("204")
                    or sys.exit("the quiet poll was not answered 204")
                ),
                args.runs * 5,
            ),
        ),
        (
            "GET /accounts/login/ (yardstick)",
            *timed(lambda n: wsgi(handler, "GET", "/accounts/login/"), 50),
        ),
    ]
    print("\nStraight into the WSGI handler (as gunicorn calls the app):")
    show(direct)
    drop_queued_tasks()
    quiet_cpu = statistics.median(direct[4][2])
    print(
        "20 staff polling once a second while nothing rings: "
        f"{20 * quiet_cpu * 100:.2f} % of a core"
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT * FROM cases_phonenumber WHERE number = %s", [number_of(42)])
        print("\nplan of the number match:")
        for (line,) in cursor.fetchall():
            print("   ", line)
    print(f"load average: {os.getloadavg()[0]:.1f} (nproc {os.cpu_count()})")


if __name__ == "__main__":
    main()
