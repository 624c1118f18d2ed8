"""A stand-in for Microsoft's identity platform and Microsoft Graph, on loopback over HTTPS.

It follows the documented request and response shapes, no more: the tenant's OpenID
configuration, the client-credentials token endpoint, the mail folder list, the delta
query of a folder's messages (``@odata.nextLink`` pages, an ``@odata.deltaLink`` at the
end, ``@removed`` for what left the folder), ``$value``, ``move``, ``PATCH isRead`` and
``sendMail`` (base64 MIME as ``text/plain``). Tests can expire the tokens it gave out
and make it answer 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from tests.mailboxes.tls import Certificates

TENANT = "3f1c8a52-0000-4000-8000-00000000c0de"
CLIENT_ID = "9b0e4c3d-0000-4000-8000-0000000000a1"
CLIENT_SECRET = "stand-in-client-secret"


@dataclass
class Message:
    id: str
    folder: str
    mime: bytes
    is_read: bool = False


@dataclass
class State:
    folders: dict[str, str] = field(default_factory=lambda: {"inbox": "Inbox"})
    messages: dict[str, Message] = field(default_factory=dict)
    #: (sequence, folder id, message id): every change to a folder's contents.
    changes: list[tuple[int, str, str]] = field(default_factory=list)
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expires at
    sent: list[tuple[str, bytes]] = field(default_factory=list)
    requests: list[tuple[str, str, float]] = field(default_factory=list)
    throttle: list[str] = field(default_factory=list)  # Retry-After values to answer with
    token_requests: int = 0
    seq: itertools.count = field(default_factory=lambda: itertools.count(1))


class MicrosoftStandIn:
    def __init__(self, certificates: Certificates) -> None:
        self.state = State()
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"stand_in": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificates.cert_file, certificates.key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.graph = f"{self.base}/v1.0"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- What tests arrange ------------------------------------------------------------
    def folder_add(self, name: str) -> str:
        folder_id = f"AAMkFolder{len(self.state.folders)}"
        self.state.folders[folder_id] = name
        return folder_id

    def deliver(self, mime: bytes, folder: str = "inbox") -> str:
        with self.lock:
            message_id = f"AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A{len(self.state.messages):06d}"
            self.state.messages[message_id] = Message(message_id, folder, mime)
            self.state.changes.append((next(self.state.seq), folder, message_id))
        return message_id

    def in_folder(self, folder: str) -> list[str]:
        return [m.id for m in self.state.messages.values() if m.folder == folder]

    def expire_tokens(self) -> None:
        self.state.tokens = dict.fromkeys(self.state.tokens, 0.0)

    def graph_requests(self) -> list[tuple[str, str, float]]:
        return [r for r in self.state.requests if r[1].startswith("/v1.0/")]

    # --- Delta ---------------------------------------------------------------------------
    def delta(self, link: str, folder: str, token: int, offset: int, size: int) -> dict:
        with self.lock:
            top = self.state.changes[-1][0] if self.state.changes else 0
            if token == 0:
                ids = self.in_folder(folder)
                items = [self._item(self.state.messages[i]) for i in ids]
            else:
                changed = list(
                    dict.fromkeys(i for s, f, i in self.state.changes if s > token and f == folder)
                )
                items = []
                for message_id in changed:
                    message = self.state.messages.get(message_id)
                    if message is not None and message.folder == folder:
                        items.append(self._item(message))
                    else:
                        items.append({"id": message_id, "@removed": {"reason": "deleted"}})
        page = items[offset : offset + size]
        body: dict = {
            "@odata.context": f"{self.graph}/$metadata#Collection(message)",
            "value": page,
        }
        if offset + size < len(items):
            body["@odata.nextLink"] = f"{link}?$skiptoken={token}.{offset + size}.{top}"
        else:
            body["@odata.deltaLink"] = f"{link}?$deltatoken={top}"
        return body

    def _item(self, message: Message) -> dict:
        return {
            "@odata.type": "#microsoft.graph.message",
            "@odata.etag": 'W/"CQAAABYAAAA"',
            "id": message.id,
            "isRead": message.is_read,
        }

    def move(self, message_id: str, destination: str) -> None:
        with self.lock:
            message = self.state.messages[message_id]
            source, message.folder = message.folder, destination
            self.state.changes.append((next(self.state.seq), source, message_id))
            self.state.changes.append((next(self.state.seq), destination, message_id))


class _Handler(BaseHTTPRequestHandler):
    stand_in: MicrosoftStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def _send(self, status: int, body: bytes | dict | None = None, headers=None) -> None:
        data = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if isinstance(body, dict):
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):  # noqa: N802
        self._route("GET")

    def do_POST(self):  # noqa: N802
        self._route("POST")

    def do_PATCH(self):  # noqa: N802
        self._route("PATCH")

    def _route(self, method: str) -> None:
        stand_in, state = self.stand_in, self.stand_in.state
        url = urlsplit(self.path)
        path, query = unquote(url.path), parse_qs(url.query)
        state.requests.append((method, path, time.monotonic()))
        body = self._body()
        if path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            base = f"{stand_in.base}/{TENANT}"
            return self._send(
                200,
                {
                    "token_endpoint": f"{base}/oauth2/v2.0/token",
                    "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                    "issuer": f"{stand_in.base}/{TENANT}/v2.0",
                },
            )
        if path == f"/{TENANT}/oauth2/v2.0/token" and method == "POST":
            form = parse_qs(body.decode())
            state.token_requests += 1
            if form.get("client_secret") != [CLIENT_SECRET] or form.get("client_id") != [CLIENT_ID]:
                return self._send(
                    401,
                    {
                        "error": "invalid_client",
                        "error_description": "AADSTS7000215: Invalid client secret provided.",
                    },
                )
            token = f"eyJ0eXAi.stand-in.{state.token_requests}"
            state.tokens[token] = time.time() + 3599
            return self._send(
                200,
                {
                    "token_type": "Bearer",
                    "expires_in": 3599,
                    "ext_expires_in": 3599,
                    "access_token": token,
                },
            )
        if not path.startswith("/v1.0/users/"):
            return self._send(404, {"error": {"code": "NotFound", "message": path}})
        auth = self.headers.get("Authorization", "")
        if state.tokens.get(auth.removeprefix("Bearer "), 0) < time.time():
            return self._send(
                401,
                {
                    "error": {
                        "code": "InvalidAuthenticationToken",
                        "message": "Lifetime validation failed, the token is expired.",
                    }
                },
            )
        if state.throttle:
            return self._send(
                429,
                {
                    "error": {
                        "code": "ApplicationThrottled",
                        "message": "Application is over its MailboxConcurrency limit.",
                    }
                },
                {"Retry-After": state.throttle.pop(0)},
            )
        rest = path.split("/", 4)[4] if path.count("/") >= 4 else ""
        if rest == "mailFolders" and method == "GET":
            wanted = re.match(r"displayName eq '(.*)'", query.get("$filter", [""])[0])
            return self._send(
                200,
                {
                    "value": [
                        {"id": fid, "displayName": name}
                        for fid, name in state.folders.items()
                        if wanted is None or name == wanted.group(1).replace("''", "'")
                    ]
                },
            )
        match = re.fullmatch(r"mailFolders/([^/]+)/messages/delta", rest)
        if match and method == "GET":
            folder = match.group(1)
            if folder not in state.folders:
                return self._send(
                    404,
                    {
                        "error": {
                            "code": "ErrorItemNotFound",
                            "message": "The specified object was not found in the store.",
                        }
                    },
                )
            size = (
                int(re.search(r"odata.maxpagesize=(\d+)", self.headers.get("Prefer", "")).group(1))
                if "maxpagesize" in self.headers.get("Prefer", "")
                else 10
            )
            if "$skiptoken" in query:
                token, offset, _top = (int(x) for x in query["$skiptoken"][0].split("."))
            else:
                token, offset = int(query.get("$deltatoken", ["0"])[0]), 0
            return self._send(
                200, stand_in.delta(stand_in.base + url.path, folder, token, offset, size)
            )
        match = re.fullmatch(r"messages/([^/]+)(/\$value|/move)?", rest)
        if match:
            message = state.messages.get(match.group(1))
            if message is None:
                return self._send(
                    404, {"error": {"code": "ErrorItemNotFound", "message": "Not found."}}
                )
            if match.group(2) == "/$value" and method == "GET":
                return self._send(200, message.mime, {"Content-Type": "text/plain"})
            if match.group(2) == "/move" and method == "POST":
                destination = json.loads(body)["destinationId"]
                if destination not in state.folders:
                    return self._send(
                        404, {"error": {"code": "ErrorItemNotFound", "message": "Destination."}}
                    )
                stand_in.move(message.id, destination)
                return self._send(201, {"id": message.id, "parentFolderId": destination})
            if match.group(2) is None and method == "PATCH":
                message.is_read = bool(json.loads(body).get("isRead"))
                state.changes.append((next(state.seq), message.folder, message.id))
                return self._send(200, {"id": message.id, "isRead": message.is_read})
        if rest == "sendMail" and method == "POST":
            if self.headers.get("Content-Type", "").split(";")[0] != "text/plain":
                return self._send(
                    400, {"error": {"code": "ErrorMimeContentInvalid", "message": "Content-Type"}}
                )
            state.sent.append((path.split("/")[3], base64.b64decode(body, validate=True)))
            return self._send(202)
        return self._send(400, {"error": {"code": "BadRequest", "message": f"{method} {path}"}})
