"""Access tokens from Microsoft's identity platform for an app registration (msal).

The client-credentials flow: the app signs in as itself with its client secret and
gets a token for one resource (``IMAP_SCOPE`` for IMAP and SMTP, ``GRAPH_SCOPE`` for
Graph). msal keeps the token in memory and hands it out again until shortly before it
expires; one msal application is kept per app registration and secret.

``settings.MAILBOX_MICROSOFT_LOGIN_URL`` is where the identity platform is
(``https://login.microsoftonline.com``, or a national cloud). Instance discovery is
off: the tenant's own OpenID configuration is read from that address directly.
"""

from __future__ import annotations

import hashlib
import threading

import msal
import requests
from django.conf import settings

from mailboxes.problems import MailboxError, Problem
from mailboxes.tls import https_session

IMAP_SCOPE = "https://outlook.office365.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"

_apps: dict[tuple[str, str, str, str], msal.ConfidentialClientApplication] = {}
_lock = threading.Lock()


def _verify() -> str:
    return settings.MAILBOX_CA_FILE


def _app(tenant_id: str, client_id: str, secret: str) -> msal.ConfidentialClientApplication:
    authority = f"{settings.MAILBOX_MICROSOFT_LOGIN_URL.rstrip('/')}/{tenant_id}"
    key = (authority, client_id, hashlib.sha256(secret.encode()).hexdigest(), str(_verify()))
    with _lock:
        app = _apps.get(key)
        if app is None:
            try:
                app = msal.ConfidentialClientApplication(
                    client_id,
                    client_credential=secret,
                    authority=authority,
                    instance_discovery=False,
                    http_client=https_session(_verify()),
                    timeout=settings.MAILBOX_TIMEOUT_SECONDS,
                )
            except (ValueError, requests.RequestException) as exc:
                raise _problem(exc) from exc
            _apps[key] = app
        return app


def _problem(exc: Exception) -> MailboxError:
    if isinstance(exc, requests.exceptions.SSLError):
        return MailboxError(Problem.CERTIFICATE, str(exc))
    if isinstance(exc, requests.Timeout):
        return MailboxError(Problem.TIMEOUT, str(exc))
    if isinstance(exc, requests.RequestException):
        return MailboxError(Problem.CONNECT, str(exc))
    return MailboxError(Problem.TOKEN, str(exc))


def access_token(*, tenant_id: str, client_id: str, secret: str, scope: str) -> str:
    """A valid access token for ``scope``: from msal's cache, or freshly asked for."""
    app = _app(tenant_id, client_id, secret)
    try:
        result = app.acquire_token_for_client(scopes=[scope])
    except (ValueError, requests.RequestException) as exc:
        raise _problem(exc) from exc
    token = result.get("access_token")
    if not token:
        detail = result.get("error_description") or result.get("error") or "no token"
        raise MailboxError(Problem.TOKEN, str(detail))
    return token


def tokens_forget(*, tenant_id: str, client_id: str, secret: str) -> None:
    """Drop the cached token of an app: the server said it expired or was revoked."""
    authority = f"{settings.MAILBOX_MICROSOFT_LOGIN_URL.rstrip('/')}/{tenant_id}"
    key = (authority, client_id, hashlib.sha256(secret.encode()).hexdigest(), str(_verify()))
    with _lock:
        _apps.pop(key, None)
