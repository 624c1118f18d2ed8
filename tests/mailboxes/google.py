"""A stand-in for Google's OAuth 2.0 token endpoint, on loopback over HTTPS.

It follows Google's documented shapes for a service account ("Using OAuth 2.0 for
Server to Server Applications"), no more: ``POST /token`` with the form fields
``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` and ``assertion`` (a JWT
signed RS256 with the account's key, claims ``iss``, ``sub``, ``scope``, ``aud``,
``iat``, ``exp`` at most an hour later); the answer ``{"access_token", "expires_in",
"token_type": "Bearer"}``, or an error body ``{"error", "error_description"}``: 400
``invalid_grant`` for a bad signature or claims, 401 ``unauthorized_client`` when the
domain-wide delegation of the scope is missing. The key pair is made for the run.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.mailboxes.tls import Certificates

CLIENT_EMAIL = "pso-helpdesk-mail@pso-helpdesk.iam.gserviceaccount.com"
GMAIL_SCOPE = "https://mail.google.com/"


@dataclass
class State:
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token -> (sub, expiry)
    #: The decoded claims of every assertion received.
    assertions: list[dict] = field(default_factory=list)
    #: Scopes delegated to the account in the Admin console (domain-wide delegation).
    delegated: set[str] = field(default_factory=lambda: {GMAIL_SCOPE})
    token_requests: int = 0


class GoogleStandIn:
    def __init__(self, certificates: Certificates) -> None:
        self.state = State()
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_key = key.public_key()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        handler = type("Handler", (_Handler,), {"stand_in": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificates.cert_file, certificates.key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.token_url = f"https://127.0.0.1:{self.server.server_address[1]}/token"
        #: The JSON key as the Google Cloud console hands it out.
        self.key_json = json.dumps(
            {
                "type": "service_account",
                "project_id": "pso-helpdesk",
                "private_key_id": "3a7b0c1d2e3f40516273849506a7b8c9d0e1f203",
                "private_key": pem,
                "client_email": CLIENT_EMAIL,
                "client_id": "104857600000000000001",
                "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def user_of(self, token: str) -> str | None:
        """Whom a token of ours acts for, while it is valid (for Dovecot's introspection)."""
        sub, expiry = self.state.tokens.get(token, ("", 0.0))
        return sub if expiry > time.time() else None

    def revoke_tokens(self) -> None:
        self.state.tokens = {t: (sub, 0.0) for t, (sub, _) in self.state.tokens.items()}


class _Handler(BaseHTTPRequestHandler):
    stand_in: GoogleStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802
        stand_in, state = self.stand_in, self.stand_in.state
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.path != "/token":
            return self._send(404, {"error": "not_found"})
        state.token_requests += 1
        form = parse_qs(body)
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            return self._send(
                400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
            )
        try:
            claims = jwt.decode(
                form.get("assertion", [""])[0],
                stand_in.public_key,
                algorithms=["RS256"],
                audience=stand_in.token_url,
                options={"require": ["iss", "sub", "scope", "aud", "iat", "exp"]},
            )
        except jwt.PyJWTError as exc:
            return self._send(
                400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {exc}"}
            )
        state.assertions.append(claims)
        if claims["iss"] != CLIENT_EMAIL or claims["exp"] - claims["iat"] > 3600:
            return self._send(
                400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            )
        if not set(claims["scope"].split()) <= state.delegated:
            return self._send(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Client is unauthorized to retrieve access tokens "
                    "using this method, or client not authorized for any of the scopes "
                    "requested.",
                },
            )
        token = f"ya29.stand-in.{state.token_requests}"
        state.tokens[token] = (claims["sub"], time.time() + 3599)
        return self._send(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
