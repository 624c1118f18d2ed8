"""What the benchmarks share: Django set up in the benchmark's own process and database.

Each script runs from the project root (``.venv/bin/python bench/bench_….py``) and calls
``setup_django`` before importing anything of the project's apps. The settings are the
production settings read from the environment, as ``scripts/run`` and gunicorn read them,
with the values a benchmark needs (no TLS redirect, no debug pages) filled in where the
caller's environment does not set them, and static files served without a manifest, so a
benchmark needs no ``collectstatic`` first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: A fixed key for throw-away databases; the caller's SECRET_KEY wins when it is set.
BENCH_SECRET_KEY = "benchmark-only-secret-key-0123456789abcdefghijklmnop"


def setup_django(database_url: str, var_dir: Path | None = None, *, migrate: bool = True) -> None:
    """Set Django up on ``database_url`` (``var_dir`` as its var folder, when given); migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECURE_COOKIES", "0")
    if var_dir is not None:
        os.environ.setdefault("HELPDESK_VAR_DIR", str(var_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def wait_until_serving(
    process: subprocess.Popen, answers: Callable[[], bool], seconds: float
) -> None:
    """Wait for a server this benchmark started to answer (``answers()`` true); else stop it.

    Raises ``RuntimeError`` when the process exits or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if answers():
                return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError("the server exited at start-up")
        time.sleep(0.1)
    stop_process_group(process)
    raise RuntimeError(f"the server did not answer within {seconds:.0f} s")


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server this benchmark started in a session of its own, and only that."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
