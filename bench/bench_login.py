"""Benchmark: what a flood of wrong passwords costs the people who are signed in.

Run from the project root:

    .venv/bin/python bench/bench_login.py [--attackers 16]   # gunicorn, axes off and on
    .venv/bin/python bench/bench_login.py --in-process       # CPU of one locked-out POST

**Served**: for ``AXES_ENABLED=0`` (before) and ``=1`` (after), gunicorn
(``helpdesk/gunicorn.conf.py``, production settings, SQLite in a temporary
``HELPDESK_VAR_DIR``, as ``scripts/run``) on a free port of 127.0.0.1; a signed-in staff
member's dashboard is timed alone, then while ``--attackers`` clients post wrong
passwords for one account as fast as they are answered. Attackers stop after
``--max-posts`` posts or when the samples are done; gunicorn is stopped at the end.

**In process**: a temporary SQLite database and the production hasher (PBKDF2); an
account is locked, then 200 locked-out POSTs go through Django's WSGI handler (as
gunicorn calls it), timed in CPU of this process, next to a GET of the login page and a
wrong password before the lockout (hashed).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import common  # bench/common.py (a script's own folder is first on the path)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERNAME, PASSWORD = "bench-sanne", "bench-sanne-password-2026"
VICTIM_NAME, VICTIM_PASSWORD = "bench-marco", "bench-marco-password-2026"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
#: No run, however slow the machine, goes on longer than this.
DEADLINE_SECONDS = 600
#: Production settings, relaxed only where this machine is not production (as scripts/run).
PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "ERROR",
    "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
}


# --- The served benchmark -------------------------------------------------------------------


def server_environment(var_dir: Path, axes: bool) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY_FILE"):
        env.pop(name, None)
    env.update(
        PRODUCTION_LIKE,
        HELPDESK_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        AXES_ENABLED="1" if axes else "0",
    )
    return env


def prepare(var_dir: Path, env: dict[str, str]) -> None:
    """Migrate, collect the static files and make the two accounts (before gunicorn starts)."""

    def manage(*args: str) -> None:
        command = [PYTHON, "manage.py", *args]
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    manage("migrate", "--noinput", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage(
        *("shell", "-c"),
        "from django.contrib.auth.models import Group, User\n"
        f"for name, password in [({USERNAME!r}, {PASSWORD!r}), "
        f"({VICTIM_NAME!r}, {VICTIM_PASSWORD!r})]:\n"
        "    user = User.objects.create_user(name, password=password)\n"
        "    user.groups.add(Group.objects.get(name='Helpdesk staff'))\n",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    def worker_cpu_seconds(self) -> float:
        """User + system CPU time of gunicorn's workers so far (from /proc; Linux)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # ppid: a worker of this master
                total += (int(fields[11]) + int(fields[12])) / tick
        return total


def start_server(env: dict[str, str], workers: int | None) -> Server:
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "helpdesk/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(port=port, process=process)
    common.wait_until_serving(
        process, lambda: request(server, "GET", "/accounts/login/")[0] == 200, seconds=20
    )
    return server


def stop_server(server: Server) -> None:
    common.stop_process_group(server.process)


def request(
    server: Server,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    """One request on its own connection (gunicorn's sync workers close after each)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Host": "127.0.0.1"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{server.port}{path}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        new_cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            new_cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, new_cookies
    finally:
        connection.close()


def login_form(server: Server) -> dict[str, str]:
    """A fresh visitor's cookies and form token."""
    _status, body, cookies = request(server, "GET", "/accounts/login/")
    match = CSRF_FIELD.search(body)
    assert match, "no CSRF token on the login page"
    return {**cookies, "_form_token": match.group(1).decode()}


def post_login(server: Server, visitor: dict[str, str], username: str, password: str):
    cookies = {k: v for k, v in visitor.items() if not k.startswith("_")}
    form = {"csrfmiddlewaretoken": visitor["_form_token"], "username": username,
            "password": password}  # fmt: skip
    return request(server, "POST", "/accounts/login/", cookies=cookies, form=form)


def signed_in(server: Server) -> dict[str, str]:
    visitor = login_form(server)
    status, _body, cookies = post_login(server, visitor, VICTIM_NAME, VICTIM_PASSWORD)
    assert status == 302 and "sessionid" in cookies, f"could not sign in ({status})"
    return {**{k: v for k, v in visitor.items() if not k.startswith("_")}, **cookies}


class Attack:
    """``attackers`` threads posting wrong passwords for one account until stopped."""

    def __init__(self, server: Server, attackers: int, max_posts: int) -> None:
        self.server, self.max_posts = server, max_posts
        self.stop, self.lock = threading.Event(), threading.Lock()
        self.statuses: dict[int, int] = {}
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(attackers)]

    def _run(self) -> None:
        visitor = login_form(self.server)
        for attempt in range(self.max_posts):
            if self.stop.is_set():
                return
            status, _, _ = post_login(self.server, visitor, USERNAME, f"wrong-{attempt}")
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def sample_page(
    server: Server, cookies: dict[str, str], samples: int, budget: float = 240.0
) -> list[float]:
    """``samples`` loads of the signed-in page, fewer if they take longer than ``budget`` s."""
    times: list[float] = []
    stop_at = time.monotonic() + budget
    while len(times) < samples and time.monotonic() < stop_at:
        started = time.perf_counter()
        status, _body, _cookies = request(server, "GET", "/", cookies=cookies)
        times.append(time.perf_counter() - started)
        assert status == 200, f"the signed-in page answered {status}"
    return times


def request_floor(server: Server, count: int = 300) -> float:
    """Server CPU of the cheapest request there is (a static file): gunicorn's own share."""
    before = server.worker_cpu_seconds()
    for _ in range(count):
        request(server, "GET", "/static/css/helpdesk.css")
    return (server.worker_cpu_seconds() - before) / count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def describe(label: str, times: list[float]) -> str:
    return (
        f"{label:<34} p50 {percentile(times, 0.5) * 1000:8.1f} ms   "
        f"p95 {percentile(times, 0.95) * 1000:8.1f} ms   (n={len(times)})"
    )


def served(args: argparse.Namespace) -> None:
    started = time.monotonic()
    workers = args.workers or "gunicorn.conf.py's default"
    print(f"attackers={args.attackers}, samples={args.samples}, workers={workers}")
    print(f"machine: nproc={os.cpu_count()}; {subprocess.getoutput('uptime').strip()}")
    for axes in (False, True):
        with tempfile.TemporaryDirectory(prefix="bench-login-") as folder:
            env = server_environment(Path(folder), axes)
            prepare(Path(folder), env)
            server = start_server(env, args.workers)
            try:
                cookies = signed_in(server)
                sample_page(server, cookies, 5)  # warm every worker's caches
                floor = request_floor(server)
                alone = sample_page(server, cookies, args.samples)
                attack = Attack(server, args.attackers, args.max_posts)
                cpu_before, attack_started = server.worker_cpu_seconds(), time.monotonic()
                client_cpu_before = time.process_time()
                attack.start()
                time.sleep(1.0)  # every attacker has posted by now
                try:
                    busy = sample_page(server, cookies, args.samples, args.phase_seconds)
                finally:
                    attack.finish()
                attack_seconds = time.monotonic() - attack_started
                cpu_used = server.worker_cpu_seconds() - cpu_before
                client_cpu = time.process_time() - client_cpu_before
            finally:
                stop_server(server)
        posts = sum(attack.statuses.values())
        print(f"\nAXES_ENABLED={int(axes)}  (load average {os.getloadavg()[0]:.2f})")
        for line in [
            describe("signed-in page, alone", alone),
            describe(f"… with {args.attackers} wrong-password clients", busy),
            f"{'wrong-password posts':<34} {posts} in {attack_seconds:.1f} s "
            f"({posts / attack_seconds:.0f}/s), answers {dict(sorted(attack.statuses.items()))}",
            f"{'server CPU during the attack':<34} {cpu_used:.1f} s "
            f"({cpu_used / max(posts, 1) * 1000:.1f} ms per post, page loads included)",
            f"{'CPU of the clients (same cores)':<34} {client_cpu:.1f} s",
            f"{'server CPU of a static file GET':<34} {floor * 1000:.1f} ms (the floor)",
            f"{'slow-down of the page (p50)':<34} "
            f"{statistics.median(busy) / statistics.median(alone):.1f}x",
        ]:
            print(line)
        if time.monotonic() - started > DEADLINE_SECONDS:
            print("deadline reached; stopping")
            break


# --- The in-process measurement -----------------------------------------------------------


def in_process(runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-login-"))
    os.environ.update(
        PRODUCTION_LIKE,
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        HELPDESK_VAR_DIR=str(folder),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import Client

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    User.objects.create_user(USERNAME, password=PASSWORD)
    handler, body = WSGIHandler(), urlencode({"username": USERNAME, "password": "x"}).encode()

    def call(method: str) -> str:
        """One request as gunicorn hands it to Django (a browser's urlencoded form)."""
        statuses = []
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": "/accounts/login/",
            **{"SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver"},
            **{"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http"},
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)) if method == "POST" else "0",
            "wsgi.input": io.BytesIO(body if method == "POST" else b""),
        }
        b"".join(handler(environ, lambda status, headers: statuses.append(status)))
        return statuses[0]

    def timed(action: Callable[[], object], count: int) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            action()
        return (time.process_time() - cpu) / count, (time.perf_counter() - wall) / count

    # The failures go through the test client, which skips the CSRF check for them; a
    # locked-out POST is refused before that check, so raw WSGI calls show its cost.
    client, form = Client(), {"username": USERNAME, "password": "x"}
    timed(lambda: call("GET"), 20)
    figures = [("GET of the login page", *timed(lambda: call("GET"), runs))]
    wrong = timed(lambda: client.post("/accounts/login/", form), settings.AXES_FAILURE_LIMIT)
    figures.append(("wrong password, before the lockout", *wrong))
    assert call("POST").startswith("429"), "the account should be locked now"
    figures.append(("POST while locked out", *timed(lambda: call("POST"), runs)))

    print(f"machine: nproc={os.cpu_count()}; {subprocess.getoutput('uptime').strip()}")
    print(f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}; SQLite; {runs} runs each")
    for label, cpu, wall in figures:
        print(f"{label:<38} CPU {cpu * 1000:8.2f} ms   wall {wall * 1000:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--in-process", action="store_true", help="time locked-out POSTs only")
    parser.add_argument("--runs", type=int, default=200, help="in-process: POSTs to time")
    parser.add_argument("--attackers", type=int, default=16)
    parser.add_argument("--samples", type=int, default=60, help="page loads per phase")
    parser.add_argument("--max-posts", type=int, default=2000, help="per attacker")
    parser.add_argument("--phase-seconds", type=float, default=240.0,
                        help="at most this long sampling the page under attack")  # fmt: skip
    parser.add_argument("--workers", type=int, default=None,
                        help="WEB_CONCURRENCY (default: 2 x cores + 1)")  # fmt: skip
    args = parser.parse_args()
    if args.in_process:
        in_process(args.runs)
    else:
        served(args)


if __name__ == "__main__":
    main()
