"""scripts/run keeps serving when the background worker dies, and leaves nothing behind.

The real runner is started on a free port with a var dir of its own (SQLite, the ORM
broker): the worker's main process is killed with SIGKILL, the web server must keep
answering while a new worker comes up, and Ctrl-C must then stop every process the
runner started, the worker's children included.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# It starts the real runner: migrations, demo data and static files on a fresh var dir
# first, which takes about a minute on a busy machine.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: The environment the conftest sets for the suite, and what would point the runner
#: at a shared database or broker: the runner gets its own, embedded, in tmp_path.
LEFT_OUT = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "DEBUG",
}


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes() -> Iterator[tuple[int, int, int, str]]:
    """(pid, parent pid, process group, command line) of every process on the machine."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended meanwhile
        # The command name in parentheses may contain spaces: split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] == "Z":
            continue
        yield int(entry.name), int(fields[1]), int(fields[2]), cmdline


def started_with(var_dir: Path) -> list[int]:
    """Every live process that runs with this var dir: whatever the runner started."""
    marker = f"HELPDESK_VAR_DIR={var_dir}".encode()
    found = []
    for pid, _ppid, _group, _cmd in processes():
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in environ:
            found.append(pid)
    return found


def worker_of(runner: int) -> int | None:
    for pid, ppid, _group, cmd in processes():
        if ppid == runner and "manage.py qcluster" in cmd:
            return pid
    return None


def in_group(group: int) -> list[int]:
    return [pid for pid, _ppid, pgid, _cmd in processes() if pgid == group]


def until(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def runner(tmp_path):
    var_dir = tmp_path / "var"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    env.update(
        HELPDESK_VAR_DIR=str(var_dir),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        Q_WORKERS="1",
        STOP_GRACE_SECONDS="10",
    )
    log = (tmp_path / "run.log").open("wb")
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # A suite started in the background (`nohup … &`) ignores SIGINT, and an
        # ignored signal stays ignored across exec: the runner must get it as a
        # terminal would give it, or the Ctrl+C test tests nothing.
        preexec_fn=_default_interrupt,
    )
    try:
        yield process, f"http://127.0.0.1:{port}/accounts/login/", var_dir
    finally:
        # Whatever happened in the test, nothing it started outlives it.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        for pid in started_with(var_dir):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()


def test_a_killed_worker_is_restarted_while_the_web_server_serves(runner, tmp_path):
    process, login_url, var_dir = runner

    def up() -> bool:
        assert process.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
        return answers(login_url) and worker_of(process.pid) is not None

    # Migrations, the demo data and the static files come first.
    until(up, 240, "the web server and the worker")
    worker = worker_of(process.pid)
    assert worker is not None
    # Each in a process group of its own, so its children can be stopped with it.
    assert in_group(worker) and all(pid != process.pid for pid in in_group(worker))
    until(lambda: len(in_group(worker)) > 1, 60, "the worker's children")

    os.kill(worker, signal.SIGKILL)

    replacement = until(
        lambda: (new := worker_of(process.pid)) and new != worker and new,
        30,
        "a new worker",
    )
    assert answers(login_url), "the web server stopped with the worker"
    until(lambda: not in_group(worker), 30, "the killed worker's children to be stopped")
    assert process.poll() is None
    until(lambda: len(in_group(replacement)) > 1, 60, "the new worker's children")

    # Ctrl-C stops everything: the web server, the new worker and all their children.
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=40) == 130
    assert started_with(var_dir) == []
    assert not answers(login_url)
