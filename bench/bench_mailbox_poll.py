"""Benchmark: polling a mailbox on a real Dovecot (and Graph on the local stand-in).

Run from the project root (Dovecot installed: apt-get install dovecot-imapd):

    .venv/bin/python bench/bench_mailbox_poll.py [--count 1000] [--rounds 50]

A throw-away SQLite database and a throw-away Dovecot (TLS, certificate verified against
a CA made for the run) on free loopback ports, as in the tests. Measured in this process:

1. the app's own login page (``GET /accounts/login/`` through Django's WSGI handler): the
   yardstick the other figures are given against;
2. a poll that finds nothing: the whole ``mailbox_poll`` (connect, TLS, LOGIN, SELECT,
   ``UID SEARCH``, state written), and the ``UID SEARCH`` round trip alone on an open
   connection; the same for Graph against the stand-in (one delta request);
3. ``--count`` messages waiting in the mailbox taken in by one poll, end to end: fetched,
   stored, processed (cases opened, acknowledgements to a dummy backend) and moved. Peak
   memory (RSS) after a 100-message warm-up and after the big poll: flat means the big poll
   does not raise it in proportion to the count. Then the same count again as the schedule
   runs it, processing queued for the worker (one task per fetched batch of 100): with
   ``REDIS_URL`` set (as in production) on Redis, otherwise on django-q's database broker;
   then the worker's share, the queued batches processed as the worker runs them
   (``inbound_process_many``), so poll plus processing is the end-to-end figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(folder: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghij",
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
            "HELPDESK_VAR_DIR": str(folder),
            "STATIC_ROOT": str(folder / "static"),
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "Q_SYNC": "1",
            "MAILBOX_BENCH_PASSWORD": "dovecot-test-password",
            "MAILBOX_BENCH_SECRET": "stand-in-client-secret",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # the login page, as served


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, rounds: int) -> float:
    """Median wall clock of ``rounds`` calls (the CPU time of the last batch in ``timed.cpu``)."""
    samples = []
    cpu = time.process_time()
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    timed.cpu = (time.process_time() - cpu) / rounds
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-bench-mailbox-"))
    setup(folder)

    from django.conf import settings
    from django.test import Client

    from cases.models import InboundMessage, InboundStatus
    from mailboxes.imap_poll import imap_open
    from mailboxes.models import Mailbox
    from mailboxes.polling import mailbox_poll
    from tests.mailboxes.dovecot import dovecot_start
    from tests.mailboxes.mail import message
    from tests.mailboxes.microsoft import CLIENT_ID, TENANT, MicrosoftStandIn
    from tests.mailboxes.tls import certificates_make

    certificates = certificates_make(folder / "tls")
    settings.MAILBOX_CA_FILE = str(certificates.ca_file)
    dovecot = dovecot_start(folder / "dovecot", certificates)
    microsoft = MicrosoftStandIn(certificates)
    settings.MAILBOX_MICROSOFT_LOGIN_URL, settings.MAILBOX_GRAPH_URL = (
        microsoft.base,
        microsoft.graph,
    )
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f}  (cores: {os.cpu_count()})")
        client = Client()
        login = timed(lambda: client.get("/accounts/login/"), args.rounds)
        login_cpu = timed.cpu
        print(
            f"login page (GET, in process):          {login * 1000:7.2f} ms"
            f"  (CPU {login_cpu * 1000:.2f} ms)"
        )

        user = dovecot.new_user()
        mailbox = Mailbox.objects.create(
            name="bench",
            address="info@pso-nederland.nl",
            host="127.0.0.1",
            port=dovecot.imaps_port,
            security="tls",
            username=user,
            secret_env="MAILBOX_BENCH_PASSWORD",
        )
        mailbox_poll(mailbox=mailbox)
        empty = timed(lambda: mailbox_poll(mailbox=mailbox), args.rounds)
        print(
            f"IMAP empty poll (connect..state):      {empty * 1000:7.2f} ms"
            f"  = {empty / login:.1f}x the login page (CPU {timed.cpu * 1000:.2f} ms"
            f" = {timed.cpu / login_cpu:.1f}x)"
        )
        with imap_open(mailbox) as session:
            session.select("INBOX")
            search = timed(session.search, args.rounds)
        print(f"IMAP UID SEARCH round trip:            {search * 1000:7.2f} ms")

        graph = Mailbox.objects.create(
            name="bench-graph",
            address="info@pso-nederland.nl",
            kind="graph",
            auth="microsoft",
            tenant_id=TENANT,
            client_id=CLIENT_ID,
            secret_env="MAILBOX_BENCH_SECRET",
        )
        mailbox_poll(mailbox=graph)
        before = len(microsoft.graph_requests())
        graph_empty = timed(lambda: mailbox_poll(mailbox=graph), args.rounds)
        per_poll = (len(microsoft.graph_requests()) - before) / args.rounds
        print(
            f"Graph empty poll (stand-in):           {graph_empty * 1000:7.2f} ms"
            f"  ({per_poll:.0f} request per poll; CPU {timed.cpu * 1000:.2f} ms)"
        )

        dovecot.deliver(user, [message(n) for n in range(100)])
        mailbox_poll(mailbox=mailbox, inline=True)
        warm = rss_mb()
        dovecot.deliver(user, [message(n) for n in range(args.count)])
        load = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        report = mailbox_poll(mailbox=mailbox, inline=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        processed = InboundMessage.objects.filter(status=InboundStatus.PROCESSED).count()
        left = len(dovecot.uids(user, "INBOX"))
        print(
            f"{args.count} messages, one poll (load {load:.2f}): taken in {report.taken_in}, "
            f"processed {processed - 100}, left in INBOX {left}, error {report.error}"
        )
        print(
            f"  wall {wall:.1f} s = {args.count / wall:.0f} msg/s;"
            f"  CPU {cpu:.1f} s = {args.count / cpu:.0f} msg/s"
        )
        print(
            f"  peak RSS after 100-message warm-up {warm:.0f} MB, after {args.count}: "
            f"{rss_mb():.0f} MB"
        )
        # As the schedule runs it: processing queued for the worker (django-q's database
        # broker here), the poll itself storing and moving.
        from django_q.conf import Conf

        Conf.SYNC = False
        dovecot.deliver(user, [message(n) for n in range(args.count)])
        load = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        report = mailbox_poll(mailbox=mailbox)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{args.count} messages, one poll, processing queued (load {load:.2f}): "
            f"taken in {report.taken_in}, left in INBOX {len(dovecot.uids(user, 'INBOX'))}"
        )
        print(
            f"  wall {wall:.1f} s = {args.count / wall:.0f} msg/s;"
            f"  CPU {cpu:.1f} s = {args.count / cpu:.0f} msg/s;  peak RSS {rss_mb():.0f} MB"
        )
        from cases.intake.email import inbound_process_many

        waiting = list(
            InboundMessage.objects.filter(status=InboundStatus.RECEIVED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        pwall, pcpu = time.perf_counter(), time.process_time()
        for start in range(0, len(waiting), 100):  # one worker task per fetched batch
            inbound_process_many(message_pks=waiting[start : start + 100])
        pwall, pcpu = time.perf_counter() - pwall, time.process_time() - pcpu
        left = InboundMessage.objects.filter(status=InboundStatus.RECEIVED).count()
        print(
            f"  the worker's share: {len(waiting)} processed in batches, {left} left; "
            f"wall {pwall:.1f} s, CPU {pcpu:.1f} s"
        )
        print(
            f"  end to end (poll + processing): wall {wall + pwall:.1f} s = "
            f"{args.count / (wall + pwall):.0f} msg/s;  CPU {cpu + pcpu:.1f} s = "
            f"{args.count / (cpu + pcpu):.0f} msg/s;  peak RSS {rss_mb():.0f} MB"
        )
    finally:
        microsoft.close()
        dovecot.stop()


if __name__ == "__main__":
    main()
