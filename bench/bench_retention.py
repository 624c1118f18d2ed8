"""Benchmark: the retention job over a large helpdesk on PostgreSQL.

Run from the project root:

    .venv/bin/python bench/bench_retention.py                        # 200,000 cases, 50,000 due
    .venv/bin/python bench/bench_retention.py --cases 20000 --due 5000  # a quick look

Creates its own PostgreSQL database (``--database``, default ``helpdesk_bench_retention``
on 127.0.0.1), migrates it and fills it with ``--cases`` cases, each with a contact, a
received mail (raw original of about 1.5 kB and an attachment), a call, a note and a
subject change, and the phone system's record of that call (a call row and its newCall
event with the caller's number and name); ``--due`` of them were closed 30 months ago,
the rest are open or closed last month. Then it times a dry run and the real run
(``privacy.retention.retention_run``, no time budget, batches of 500), reports the
counts, the time per anonymised case and the process's peak memory before and after the
run, and drops the database.

``--fill-only --keep`` fills a database and leaves it; ``--reuse`` runs on that database
(once: the run anonymises what was due; with ``--copy`` on a copy of it, so it serves again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

import common  # bench/common.py (a script's own folder is first on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RAW = (
    "From: Beller {i} <beller{i}@example.nl>\r\nTo: info@pso-nederland.nl\r\n"
    "Subject: Vraag {i} over de PSO-status\r\nMessage-ID: <m{i}@example.nl>\r\n\r\n"
    + "Goedemorgen, wij willen graag weten hoe de audit verloopt. "
    * 24
)


def setup_django(url: str) -> None:
    common.setup_django(url)


def create_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_database(server: str, template: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def drop_database(server: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def fill(total: int, due: int, chunk: int = 5000) -> None:
    from django.utils import timezone

    from cases.models import (
        Case,
        CaseChange,
        Channel,
        Contact,
        InboundMessage,
        MailAttachment,
        Note,
        Organisation,
        PhoneCall,
        Status,
    )
    from telephony.models import Call, CallEvent, PhoneSystem

    now = timezone.now()
    system = PhoneSystem.objects.create(
        name="Centrale", token_hash="0" * 64, token_hint="bench", created_at=now
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisatie {i}") for i in range(500)
    )
    for start in range(0, total, chunk):
        numbers = range(start, min(start + chunk, total))
        contacts = Contact.objects.bulk_create(
            Contact(name=f"Beller {i}", email=f"beller{i}@example.nl") for i in numbers
        )
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(
            created_at=now - dt.timedelta(days=1200)
        )
        cases = []
        for i, contact in zip(numbers, contacts, strict=True):
            if i < due:
                status, resolved = Status.CLOSED, now - dt.timedelta(days=910)
            elif i % 2:
                status, resolved = Status.CLOSED, now - dt.timedelta(days=30)
            else:
                status, resolved = Status.OPEN, None
            cases.append(
                Case(
                    reference=f"PSO-B-{i:07d}",
                    subject=f"Vraag {i} van Beller {i}",
                    description=f"Beller {i} belde over de audit.",
                    channel=Channel.EMAIL,
                    status=status,
                    resolved_at=resolved,
                    organisation=organisations[i % 500],
                    contact=contact,
                    created_at=now - dt.timedelta(days=1000),
                )
            )
        cases = Case.objects.bulk_create(cases)
        messages = InboundMessage.objects.bulk_create(
            InboundMessage(
                received_at=now - dt.timedelta(days=1000),
                source="bench",
                raw_sha256=f"{i:064d}",
                content_sha256=f"{i:064d}",
                size=len(RAW),
                message_id=f"m{i}@example.nl",
                from_address=f"beller{i}@example.nl",
                subject=f"Vraag {i}",
                text_body="Goedemorgen, hoe verloopt de audit?",
                status="processed",
                case=case,
                contact=case.contact,
                raw=RAW.format(i=i).encode(),
            )
            for i, case in zip(numbers, cases, strict=True)
        )
        MailAttachment.objects.bulk_create(
            MailAttachment(
                message=m,
                filename="verslag.pdf",
                content_type="application/pdf",
                size=512,
                content=b"%PDF" + b"x" * 508,
            )
            for m in messages
        )
        calls = PhoneCall.objects.bulk_create(
            PhoneCall(
                case=c,
                number="+31546123456",
                notes=f"Beller {c.pk} teruggebeld",
                started_at=c.created_at,
                inside_phone_hours=True,
            )
            for c in cases
        )
        telephony_calls = Call.objects.bulk_create(
            Call(
                system=system,
                call_id=f"bench-{call.pk}",
                from_raw="0546123456",
                to_raw="0307001234",
                number="+31546123456",
                started_at=call.started_at,
                ended_at=call.started_at + dt.timedelta(minutes=3),
                answered_at=call.started_at,
                cause="normalClearing",
                contact=case.contact,
                phone_call=call,
            )
            for call, case in zip(calls, cases, strict=True)
        )
        CallEvent.objects.bulk_create(
            CallEvent(
                call=t,
                system=system,
                kind="newCall",
                occurred_at=t.started_at,
                received_at=t.started_at,
                payload={"event": "newCall", "from": "0546123456", "caller": {"name": "Beller"}},
            )
            for t in telephony_calls
        )
        Note.objects.bulk_create(
            Note(case=c, body=f"Notitie over {c.subject}", created_at=c.created_at) for c in cases
        )
        CaseChange.objects.bulk_create(
            CaseChange(
                case=c, at=c.created_at, field="subject", old_value="Vraag", new_value=c.subject
            )
            for c in cases
        )
        print(f"  filled {numbers[-1] + 1:,} cases", flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--due", type=int, default=50_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="helpdesk_bench_retention")
    parser.add_argument("--keep", action="store_true", help="Do not drop the database.")
    parser.add_argument("--fill-only", action="store_true", help="Fill, then stop.")
    parser.add_argument("--reuse", action="store_true", help="Run on --database, filled before.")
    parser.add_argument("--copy", action="store_true", help="With --reuse: run on a copy.")
    args = parser.parse_args()

    name = args.database
    if args.reuse and args.copy:
        name = f"{args.database}_run"
        copy_database(args.server, args.database, name)
    elif not args.reuse:
        create_database(args.server, name)
    setup_django(f"{args.server}/{name}")
    try:
        if not args.reuse:
            started = time.monotonic()
            fill(args.cases, args.due)
            print(f"filled in {time.monotonic() - started:.0f} s; peak memory {peak_mb():.0f} MB")
        if args.fill_only:
            return

        from privacy.retention import retention_run

        started = time.monotonic()
        dry = retention_run(dry_run=True)
        print(f"dry run: {time.monotonic() - started:.1f} s, {dry.counts}")

        before = peak_mb()
        started = time.monotonic()
        cpu = time.process_time()
        run = retention_run()
        wall = time.monotonic() - started
        cpu = time.process_time() - cpu
        anonymised = run.counts["cases_anonymised"]
        print(f"run: {wall:.0f} s wall, {cpu:.0f} s CPU of this process, {run.counts}")
        print(f"per anonymised case: {wall / max(anonymised, 1) * 1000:.1f} ms wall")
        print(f"peak memory: {before:.0f} MB before the run, {peak_mb():.0f} MB after")
        started = time.monotonic()
        again = retention_run()
        print(f"second run (nothing due): {time.monotonic() - started:.1f} s, {again.counts}")
        print(f"load average: {os.getloadavg()[0]:.1f} (nproc {os.cpu_count()})")
    finally:
        if not args.keep or name != args.database:
            drop_database(args.server, name)


if __name__ == "__main__":
    main()
