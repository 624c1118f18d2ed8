"""Talking IMAP to a mailbox (IMAPClient), with every failure turned into a ``Problem``.

TLS is verified as browsers do (the system's authorities, plus
``settings.MAILBOX_CA_FILE`` when set); plain IMAP only where the mailbox allows it
(a server on this machine). Messages are fetched with ``BODY.PEEK[]``, which does not
mark them read: nothing changes on the server until the caller has stored them and
asks for the move (``UID MOVE``, or ``COPY`` + ``\\Deleted`` + ``UID EXPUNGE`` where
the server has no MOVE).
"""

from __future__ import annotations

import imaplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from mailboxes.problems import MailboxError, Problem
from mailboxes.tls import tls_context

SEEN = b"\\Seen"
DELETED = b"\\Deleted"


@dataclass(frozen=True)
class ImapTarget:
    host: str
    port: int
    security: str  # "tls", "starttls" or "none" (see mailboxes.models.Security)
    login: str
    timeout: float
    ca_file: str = ""


def _problem(exc: BaseException, *, connected: bool) -> MailboxError:
    text = str(exc)
    if isinstance(exc, MailboxError):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailboxError(Problem.CERTIFICATE, exc.verify_message or text)
    if isinstance(exc, TimeoutError | socket.timeout):
        return MailboxError(Problem.TIMEOUT, text)
    if isinstance(exc, LoginError):
        return MailboxError(Problem.AUTH, text)
    if isinstance(exc, OSError) and not connected:
        return MailboxError(Problem.CONNECT, text)
    if isinstance(exc, imaplib.IMAP4.abort | EOFError | ConnectionError | ssl.SSLEOFError):
        return MailboxError(Problem.DROPPED, text)
    if isinstance(exc, OSError):
        return MailboxError(Problem.DROPPED if connected else Problem.CONNECT, text)
    if isinstance(exc, IMAPClientError | imaplib.IMAP4.error):
        if "NONEXISTENT" in text or "doesn't exist" in text or "not exist" in text.lower():
            return MailboxError(Problem.FOLDER, text)
        if "AUTHENTICATIONFAILED" in text or "authenticat" in text.lower():
            return MailboxError(Problem.AUTH, text)
        return MailboxError(Problem.PROTOCOL, text)
    return MailboxError(Problem.PROTOCOL, f"{type(exc).__name__}: {text}")


class ImapSession:
    """One connection to one mailbox; use through :func:`imap_session`."""

    def __init__(self, client: IMAPClient) -> None:
        self.client = client
        self.commands = 0  # round trips after sign-in, for the benchmark

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            raise _problem(exc, connected=True) from exc

    def select(self, folder: str) -> int:
        """Open ``folder`` for reading and writing; returns its UIDVALIDITY."""
        with self._translated():
            self.commands += 1
            response = self.client.select_folder(folder)
        return int(response[b"UIDVALIDITY"])

    def folder_exists(self, folder: str) -> bool:
        with self._translated():
            self.commands += 1
            return bool(self.client.folder_exists(folder))

    def search(self, *, after_uid: int | None = None) -> list[int]:
        """UIDs in the open folder not marked deleted; above ``after_uid`` when given."""
        criteria = ["UNDELETED"] if after_uid is None else ["UID", f"{after_uid + 1}:*"]
        with self._translated():
            self.commands += 1
            uids = self.client.search(criteria)
        # "n:*" names the highest message even when it is below n (RFC 3501).
        return sorted(uid for uid in uids if after_uid is None or uid > after_uid)

    def sizes(self, uids: list[int]) -> dict[int, int]:
        if not uids:
            return {}
        with self._translated():
            self.commands += 1
            response = self.client.fetch(uids, ["RFC822.SIZE"])
        return {uid: int(data.get(b"RFC822.SIZE", 0)) for uid, data in response.items()}

    def fetch(self, uids: list[int]) -> dict[int, bytes]:
        """Raw messages by UID, without setting ``\\Seen`` (``BODY.PEEK[]``)."""
        if not uids:
            return {}
        with self._translated():
            self.commands += 1
            response = self.client.fetch(uids, ["BODY.PEEK[]"])
        return {uid: bytes(data[b"BODY[]"]) for uid, data in response.items() if b"BODY[]" in data}

    def move(self, uids: list[int], folder: str) -> None:
        if not uids:
            return
        with self._translated():
            self.commands += 1
            if self.client.has_capability("MOVE"):
                self.client.move(uids, folder)
                return
            self.client.copy(uids, folder)
            self.client.add_flags(uids, [DELETED], silent=True)
            if self.client.has_capability("UIDPLUS"):
                self.client.uid_expunge(uids)
            else:
                self.client.expunge()

    def mark_seen(self, uids: list[int]) -> None:
        if uids:
            with self._translated():
                self.commands += 1
                self.client.add_flags(uids, [SEEN], silent=True)


@contextmanager
def imap_session(
    target: ImapTarget, *, password: str = "", token: str = ""
) -> Iterator[ImapSession]:
    """Connect, secure, sign in (LOGIN with ``password``, or XOAUTH2 with ``token``)."""
    try:
        client = IMAPClient(
            target.host,
            port=target.port,
            ssl=target.security == "tls",
            ssl_context=tls_context(target.ca_file) if target.security == "tls" else None,
            timeout=target.timeout,
        )
    except Exception as exc:
        raise _problem(exc, connected=False) from exc
    try:
        try:
            if target.security == "starttls":
                client.starttls(tls_context(target.ca_file))
            if token:
                client.oauth2_login(target.login, token)
            else:
                client.login(target.login, password)
        except Exception as exc:
            if isinstance(exc, LoginError) or "AUTHENTICATIONFAILED" in str(exc):
                raise MailboxError(Problem.TOKEN if token else Problem.AUTH, str(exc)) from exc
            raise _problem(exc, connected=True) from exc
        yield ImapSession(client)
    finally:
        try:
            client.logout()
        except Exception:
            with suppress(Exception):
                client.shutdown()
