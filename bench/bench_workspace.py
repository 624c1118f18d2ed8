"""Benchmark: the case page of a case with 200 timeline entries, and the header search.

Run from the project root:
  .venv/bin/python bench/bench_workspace.py [--cases 20000] [--runs 30]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench .venv/bin/python \\
      bench/bench_workspace.py        # an empty database of its own: it is filled here

Fills the database with ``--cases`` cases (each with a note and a received mail,
contacts with phone numbers, organisations with KvK numbers), bulk-inserted, plus
one case with 200 timeline entries (notes, calls, changes, mail both ways). Then it
times, through Django's test client signed in as staff: the sign-in page (the
baseline of this machine and its load), the 200-entry case page, and the search
page for a word from a mail body, a phone number in another notation and a case
reference. Prints the median and p95 wall-clock time, the queries per request and
the ratio to the sign-in page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import common  # bench/common.py (a script's own folder is first on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var: Path) -> None:
    common.setup_django(
        os.environ.get("DATABASE_URL") or common.sqlite_url(var / "bench.sqlite3"), var
    )


WORDS = [
    "aspirant",
    "trede",
    "certificaat",
    "audit",
    "herbeoordeling",
    "ketenstimulering",
    "sroi",
    "zelfscan",
]


def fill(total: int) -> str:
    """``total`` cases with their mail; returns the reference of the 200-entry case."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from cases import services
    from cases.models import (
        Case,
        Contact,
        InboundMessage,
        Note,
        Organisation,
        PhoneNumber,
        Priority,
        Status,
    )
    from staff.roles import STAFF_GROUP

    user = Group.objects.get(name=STAFF_GROUP).user_set.model.objects.create_user(
        "bench", password="bench-pass-123", first_name="Bench"
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    now = timezone.now()
    batch = 2000
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {i}", kvk_number=f"{10000000 + i}")
        for i in range(total // 10)
    )
    contacts = Contact.objects.bulk_create(
        Contact(name=f"Contact {i}", email=f"c{i}@voorbeeld.nl", organisation=organisations[i])
        for i in range(len(organisations))
    )
    PhoneNumber.objects.bulk_create(
        PhoneNumber(number=f"+3161{i:07d}", contact=c) for i, c in enumerate(contacts)
    )
    for start in range(0, total, batch):
        cases = Case.objects.bulk_create(
            Case(
                reference=f"BENCH-{i:06d}",
                subject=f"Vraag over {WORDS[i % len(WORDS)]} {i}",
                description="Een vraag over de prestatieladder. " * 5,
                channel="email",
                priority=Priority.NORMAL,
                status=Status.OPEN,
                contact=contacts[i % len(contacts)],
                organisation=organisations[i % len(organisations)],
                created_at=now - dt.timedelta(minutes=i),
            )
            for i in range(start, min(start + batch, total))
        )
        Note.objects.bulk_create(
            Note(case=c, author=user, body=f"Teruggebeld over {c.subject}", created_at=now)
            for c in cases
        )
        InboundMessage.objects.bulk_create(
            InboundMessage(
                case=c,
                received_at=c.created_at,
                source="bench",
                from_address="klant@voorbeeld.nl",
                subject=c.subject,
                text_body=f"Beste helpdesk, wij hebben een vraag over {c.subject}. " * 8,
                raw=b"",
                raw_sha256=f"{c.pk:064d}",
                size=0,
            )
            for c in cases
        )
    long_case = services.case_open(subject="Lange zaak", channel="email", actor=user)
    for i in range(50):
        services.note_add(case=long_case, author=user, body=f"Aantekening {i}")
        services.call_log(
            case=long_case,
            actor=user,
            call=services.CallDetails(number="+31612345678", started_at=now),
        )
        services.case_update(
            case=long_case,
            actor=user,
            priority=Priority.URGENT if i % 2 else Priority.NORMAL,
        )
        InboundMessage.objects.create(
            case=long_case,
            received_at=now,
            source="bench",
            from_address="klant@voorbeeld.nl",
            subject=f"Mail {i}",
            text_body="Tekst " * 50,
            raw=b"",
            raw_sha256=f"long{i:060d}",
            size=0,
        )
    return long_case.reference


def timed(client, url: str, runs: int, **params) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        setup_django(Path(var))
        from django.db import connection
        from django.test import Client

        started = time.perf_counter()
        reference = fill(args.cases)
        took = time.perf_counter() - started
        print(f"{connection.vendor}: {args.cases} cases filled in {took:.0f} s")
        anonymous = Client(HTTP_ACCEPT_LANGUAGE="nl")
        staff = Client(HTTP_ACCEPT_LANGUAGE="nl")
        staff.login(username="bench", password="bench-pass-123")
        baseline, baseline_p95, _q = timed(anonymous, "/accounts/login/", args.runs)
        rows = [("sign-in page (baseline)", baseline, baseline_p95, _q)]
        rows.append(("case page, 200 entries", *timed(staff, f"/cases/{reference}/", args.runs)))
        for label, query in [
            ("search: a word", "ketenstimulering"),
            ("search: a phone number", "06-10001234"),
            ("search: a reference", "BENCH-012345"),
        ]:
            rows.append((label, *timed(staff, "/search/", args.runs, q=query)))
        print(f"{'':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× sign-in':>10}")
        for label, median, p95, queries in rows:
            print(f"{label:28} {median:10.1f} {p95:8.1f} {queries:8d} {median / baseline:10.1f}")


if __name__ == "__main__":
    main()
