"""Microsoft Graph for one mailbox: new messages by delta query, raw MIME, move, send.

Shapes as Microsoft documents them (v1.0):

* ``GET /users/{mailbox}/mailFolders/{folder}/messages/delta`` pages with
  ``@odata.nextLink`` and ends with ``@odata.deltaLink``; the delta link, kept,
  answers the next poll with only what changed (one request when nothing did);
* ``GET /users/{mailbox}/messages/{id}/$value``: the message as MIME;
* ``POST /users/{mailbox}/messages/{id}/move`` with ``destinationId``;
* ``POST /users/{mailbox}/sendMail`` with the base64 MIME as a ``text/plain`` body.

Ids are asked for as immutable ids (``Prefer: IdType="ImmutableId"``), so a moved
message keeps its id. A 429 (or 503) with ``Retry-After`` is waited out up to
``max_wait`` seconds and retried; a 401 (expired or revoked token) gets one fresh token
and one retry.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from mailboxes.problems import MailboxError, Problem
from mailboxes.tls import https_session

#: A token getter: ``fresh=True`` after the server refused the one it had.
TokenGetter = Callable[[bool], str]
WELL_KNOWN_FOLDERS = {"inbox": "inbox", "archive": "archive", "junkemail": "junkemail"}
PAGE_SIZE = 100


@dataclass(frozen=True)
class DeltaPage:
    items: list[dict[str, Any]]
    next_link: str
    delta_link: str


def retry_after_seconds(value: str | None, default: float = 5.0) -> float:
    """Seconds from a Retry-After header (Graph sends whole seconds); ``default`` if unreadable."""
    try:
        return max(0.0, float(value)) if value is not None else default
    except ValueError:
        return default


class GraphClient:
    def __init__(
        self,
        *,
        base_url: str,
        address: str,
        token: TokenGetter,
        timeout: float,
        ca_file: str = "",
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.user = f"{self.base_url}/users/{quote(address)}"
        self._token = token
        self.timeout = timeout
        self.max_wait = max_wait
        self.sleep = sleep
        self.requests = 0  # for the benchmark and the tests
        self._session = https_session(ca_file)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {"Prefer": f'IdType="ImmutableId", odata.maxpagesize={PAGE_SIZE}'}
        headers.update(kwargs.pop("headers", {}))
        fresh = False
        waited = 0.0
        while True:
            headers["Authorization"] = f"Bearer {self._token(fresh)}"
            self.requests += 1
            try:
                response = self._session.request(
                    method, url, headers=headers, timeout=self.timeout, **kwargs
                )
            except requests.exceptions.SSLError as exc:
                raise MailboxError(Problem.CERTIFICATE, str(exc)) from exc
            except requests.Timeout as exc:
                raise MailboxError(Problem.TIMEOUT, str(exc)) from exc
            except requests.ConnectionError as exc:
                raise MailboxError(Problem.CONNECT, str(exc)) from exc
            if response.status_code == 401 and not fresh:
                fresh = True
                continue
            if response.status_code in (429, 503):
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                if waited + wait > self.max_wait:
                    raise MailboxError(
                        Problem.THROTTLED, f"Retry-After {wait:g} s: {_message(response)}"
                    )
                self.sleep(wait)
                waited += wait
                continue
            return _checked(response)

    def delta_start(self, folder: str) -> str:
        """The first delta request of ``folder`` (a well-known name or a top-level folder)."""
        folder_id = WELL_KNOWN_FOLDERS.get(folder.lower()) or self.folder_id(folder)
        if folder_id is None:
            raise MailboxError(Problem.FOLDER, folder)
        return f"{self.user}/mailFolders/{quote(folder_id)}/messages/delta?$select=id,isRead"

    def delta_page(self, url: str) -> DeltaPage:
        body = self._send("GET", url).json()
        return DeltaPage(
            items=list(body.get("value", [])),
            next_link=body.get("@odata.nextLink", ""),
            delta_link=body.get("@odata.deltaLink", ""),
        )

    def delta(self, url: str) -> Iterator[DeltaPage]:
        """Every page of one delta round, starting at ``url`` (a delta link or delta_start)."""
        while url:
            page = self.delta_page(url)
            yield page
            url = page.next_link

    def folder_id(self, name: str) -> str | None:
        """The id of the top-level folder called ``name``, or None."""
        if name.lower() in WELL_KNOWN_FOLDERS:
            return WELL_KNOWN_FOLDERS[name.lower()]
        escaped = name.replace("'", "''")
        body = self._send(
            "GET",
            f"{self.user}/mailFolders",
            params={"$filter": f"displayName eq '{escaped}'", "$select": "id,displayName"},
        ).json()
        for folder in body.get("value", []):
            if folder.get("displayName") == name:
                return folder["id"]
        return None

    def raw(self, message_id: str) -> bytes:
        return self._send("GET", f"{self.user}/messages/{quote(message_id)}/$value").content

    def move(self, message_id: str, destination_id: str) -> None:
        self._send(
            "POST",
            f"{self.user}/messages/{quote(message_id)}/move",
            json={"destinationId": destination_id},
        )

    def mark_read(self, message_id: str) -> None:
        self._send("PATCH", f"{self.user}/messages/{quote(message_id)}", json={"isRead": True})

    def send_mime(self, raw: bytes) -> None:
        """Send a complete MIME message as it is: our headers (Message-ID …) survive."""
        self._send(
            "POST",
            f"{self.user}/sendMail",
            data=base64.b64encode(raw),
            headers={"Content-Type": "text/plain"},
        )


def _message(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    except ValueError:
        return response.text[:300]


def _checked(response: requests.Response) -> requests.Response:
    status = response.status_code
    if status < 400:
        return response
    detail = f"HTTP {status} {_message(response)}"
    if status in (401, 403):
        raise MailboxError(Problem.TOKEN, detail)
    if status == 404:
        raise MailboxError(Problem.FOLDER, detail)
    raise MailboxError(Problem.PROTOCOL, detail)
