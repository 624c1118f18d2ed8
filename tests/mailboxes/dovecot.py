"""A real Dovecot for the IMAP tests: started on a free loopback port with a throw-away
configuration, stopped at the end of the run.

Any user name signs in with ``PASSWORD`` (a static passdb) and gets a maildir of its own,
so each test takes a fresh user and starts with an empty mailbox. ``Processed`` is created
for every user. TLS uses a certificate signed by the run's own test authority.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from imapclient import IMAPClient

from tests.mailboxes.tls import Certificates

PASSWORD = "dovecot-test-password"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dovecot:
    folder: Path
    config: Path
    imap_port: int
    imaps_port: int
    certificates: Certificates
    introspection: TokenIntrospection

    def new_user(self) -> str:
        return f"info-{uuid.uuid4().hex[:12]}@pso.test"

    def client(self, user: str) -> IMAPClient:
        """A direct connection for the test itself (delivering, looking afterwards)."""
        client = IMAPClient("127.0.0.1", port=self.imap_port, ssl=False, timeout=30)
        client.login(user, PASSWORD)
        return client

    def deliver(self, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
        with self.client(user) as client:
            for start in range(0, len(messages), 100):
                client.multiappend(folder, messages[start : start + 100])

    def uids(self, user: str, folder: str) -> list[int]:
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

    def unseen(self, user: str, folder: str) -> list[int]:
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            return sorted(client.search("UNSEEN"))

    def doveadm(self, *args: str) -> str:
        # 75 (temporary failure): the mailbox is still locked by the imap process of a
        # connection that has just closed; it lets go within moments.
        for _attempt in range(50):
            done = subprocess.run(
                [DOVEADM, "-c", str(self.config), *args], capture_output=True, text=True, timeout=30
            )
            if done.returncode != 75:
                break
            time.sleep(0.1)
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: {done.returncode} {done.stderr}")
        return done.stdout

    def uidvalidity_set(self, user: str, folder: str, value: int) -> None:
        """What a server does after a rebuild of its index: same messages, new UIDVALIDITY."""
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(value), folder)

    def stop(self) -> None:
        subprocess.run([DOVEADM, "-c", str(self.config), "stop"], capture_output=True, timeout=30)
        self.introspection.close()


class TokenIntrospection:
    """The HTTP endpoint Dovecot's oauth2 passdb asks about a token; a test decides with
    ``user_of`` (token -> user name, or None for a token that is not valid)."""

    def __init__(self) -> None:
        self.user_of: Callable[[str], str | None] = lambda token: None
        introspection = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002
                pass

            def do_GET(self):  # noqa: N802
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                user = introspection.user_of(token)
                body = json.dumps(
                    {"active": "true", "username": user} if user else {"active": "false"}
                ).encode()
                self.send_response(200 if user else 401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/introspect"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _owner() -> tuple[int, int, str]:
    """Who owns the maildirs: Dovecot's own user when run as root (imap refuses root)."""
    if os.geteuid() == 0:
        entry = pwd.getpwnam("dovecot")
        return entry.pw_uid, entry.pw_gid, "dovecot"
    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_uid, entry.pw_gid, entry.pw_name


def dovecot_start(folder: Path, certificates: Certificates) -> Dovecot:
    if not Path(DOVECOT).exists():
        raise RuntimeError(
            "Dovecot is not installed: apt-get install dovecot-imapd (scripts/test does as root)"
        )
    uid, gid, user = _owner()
    for name in ("run", "state", "mail"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    # Dovecot's mail processes run as its own user: they must be able to walk down to
    # the maildirs through the (private) temporary folders the run made.
    folder.chmod(0o711)
    for parent in folder.parents:
        if parent == Path(parent.anchor) or parent.stat().st_mode & 0o001:
            break
        parent.chmod(parent.stat().st_mode | 0o711)
    os.chown(folder / "mail", uid, gid)
    # Dovecot reads the key as its master process (root) before dropping privileges.
    imap_port, imaps_port = free_port(), free_port()
    unprivileged = (
        ""
        if os.geteuid() == 0
        else (f"default_internal_user = {user}\ndefault_login_user = {user}\n")
    )
    introspection = TokenIntrospection()
    # XOAUTH2: Dovecot asks this endpoint what a bearer token is worth (RFC 7662 style).
    (folder / "oauth2.conf.ext").write_text(
        f"introspection_mode = auth\n"
        f"introspection_url = {introspection.url}\n"
        "username_attribute = username\n"
        "active_attribute = active\n"
        "active_value = true\n",
        encoding="utf-8",
    )
    config = folder / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
{unprivileged}
first_valid_uid = {uid}
last_valid_uid = 0
mail_location = maildir:{folder}/mail/%u
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
ssl = yes
ssl_cert = <{certificates.cert_file}
ssl_key = <{certificates.key_file}
ssl_min_protocol = TLSv1.2
passdb {{
  driver = static
  args = password={PASSWORD}
  mechanisms = plain login
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {folder}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/mail/%u allow_all_users=yes
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Processed {{
    auto = create
  }}
}}
protocol imap {{
  mail_max_userip_connections = 1000
}}
""",
        encoding="utf-8",
    )
    subprocess.run([DOVECOT, "-c", str(config)], check=True, timeout=30)
    server = Dovecot(folder, config, imap_port, imaps_port, certificates, introspection)
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", imap_port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                log = folder / "dovecot.log"
                text = log.read_text() if log.exists() else ""
                server.stop()
                raise RuntimeError(f"Dovecot did not start:\n{text}") from None
            time.sleep(0.05)
    return server
