"""Benchmark: ``manage.py ingest_email`` on a folder of 1,000 mixed messages (SQLite).

Run from the project root:  .venv/bin/python bench/bench_ingest_email.py [--count 1000]

Builds a throw-away SQLite database in a temporary directory and a folder of
``--count`` messages made from the real-world fixtures in tests/fixtures/mail
(plain, HTML-only, base64, Latin-1, winmail.dat, forwarded messages, bounces,
auto-replies, list mail, loops), each with its own Message-ID, plus replies
to earlier ones and a few exact duplicates. The folder is taken in by the
command as an operator would run it, acknowledgements included (sent to
Django's in-memory backend). Prints messages per second by wall clock and by
CPU time of this process (steadier when the machine is busy).

Then, in a child process, one 20 MB message (a 15 MB attachment) is taken in,
and the child's peak memory is compared with that of a child taking in a small
message: memory must stay flat, well under ten times the message size.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "mail"
sys.path.insert(0, str(ROOT))


def environment(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{db_path}",
            "SECRET_KEY": env.get("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghij"),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "HELPDESK_VAR_DIR": str(db_path.parent),
            "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    return env


def make_folder(folder: Path, count: int) -> None:
    """``count`` messages: fixtures with fresh Message-IDs, replies and some duplicates."""
    fixtures = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
    customer_ids: list[str] = []
    for i in range(count):
        if i % 50 == 49:  # the same delivery again
            raw = (folder / f"{i - 1:05d}.eml").read_bytes()
        elif i % 10 == 9:  # a customer replying to an earlier message
            raw = (
                f"From: j.devries@almelo.nl\r\nTo: info@pso-nederland.nl\r\n"
                f"Subject: Re: vraag {i}\r\nMessage-ID: <reply-{i}@almelo.nl>\r\n"
                f"In-Reply-To: <{customer_ids[-1] if customer_ids else 'none@x'}>\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\nDank voor uw antwoord.\r\n"
            ).encode()
        else:
            raw = fixtures[i % len(fixtures)]
            if re.search(rb"(?im)^message-id:", raw):
                raw = re.sub(rb"(?im)^(message-id:\s*<)", rb"\g<1>m%d." % i, raw, count=1)
                if b"almelo.nl" in raw and b"Auto-Submitted" not in raw:
                    found = re.search(rb"(?im)^message-id:\s*<([^>]+)>", raw)
                    customer_ids.append(found.group(1).decode())
            else:
                raw = b"X-Bench: %d\r\n" % i + raw
        (folder / f"{i:05d}.eml").write_bytes(raw)


def big_message(path: Path) -> int:
    attachment = base64.encodebytes(os.urandom(15 * 1024 * 1024)).replace(b"\n", b"\r\n")
    head = (
        b"From: Groot <groot@almelo.nl>\r\nTo: info@pso-nederland.nl\r\n"
        b"Subject: Grote bijlage\r\nMessage-ID: <big@almelo.nl>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        b"Zie bijlage\r\n--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename=groot.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    path.write_bytes(head + attachment + b"\r\n--b--\r\n")
    return path.stat().st_size


def peak_rss_of_child(env: dict[str, str], message: Path) -> float:
    """Peak resident memory (MB) of a child process taking in ``message``."""
    code = (
        "import django, resource, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('ingest_email', sys.argv[1], stdout=open('/dev/null', 'w'));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(message)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print cProfile's top N functions"
    )
    parser.add_argument(
        "--profile-out", metavar="FILE", help="also write the profile to FILE (pstats format)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = environment(tmp_path / "bench.sqlite3")
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        folder = tmp_path / "mail"
        folder.mkdir()
        make_folder(folder, args.count)

        import io

        out = io.StringIO()
        profiler = cProfile.Profile() if args.profile else None
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        call_command("ingest_email", str(folder), stdout=out)
        if profiler is not None:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        lines = out.getvalue().splitlines()
        outcomes: dict[str, int] = {}
        for line in lines:
            word = line.split(": ", 1)[1].split(" ", 2)[1].rstrip(":")
            outcomes[word] = outcomes.get(word, 0) + 1
        print(
            f"load average {os.getloadavg()[0]:.2f}; "
            f"{len(lines)} messages: {wall:.1f} s wall ({len(lines) / wall:.0f} msg/s), "
            f"{cpu:.1f} s CPU ({len(lines) / cpu:.0f} msg/s by CPU time)"
        )
        if profiler is not None:
            if args.profile_out:
                profiler.dump_stats(args.profile_out)
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(args.profile)
            stats.sort_stats("tottime").print_stats(args.profile)
        print("outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        print(
            f"peak memory of this process: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )

        size = big_message(tmp_path / "big.eml") / 1e6
        small = peak_rss_of_child(env, FIXTURES / "plain_nl.eml")
        big = peak_rss_of_child(env, tmp_path / "big.eml")
        print(
            f"one {size:.1f} MB message: peak {big:.0f} MB, against {small:.0f} MB for a "
            f"small one: {big - small:.0f} MB more = {(big - small) / size:.1f}× its size"
        )


if __name__ == "__main__":
    main()
