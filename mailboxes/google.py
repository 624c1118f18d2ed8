"""Access tokens from Google for a Workspace mailbox: a service account with
domain-wide delegation (OAuth 2.0 for server-to-server applications).

The helpdesk signs a JWT with the service account's private key (RS256), naming the
mailbox's user as the subject and Gmail's IMAP/SMTP scope, and trades it at Google's
token endpoint for an access token (``grant_type`` JWT bearer, RFC 7523). No person's
password and no refresh token are involved, so a password change of the mailbox's
account does not break the poll. The token is kept until a minute before it expires and
forgotten when the server refuses it.

The secret of such a mailbox is the service account's JSON key as Google hands it out
(``type``, ``client_email``, ``private_key``, ``private_key_id`` …).
``settings.MAILBOX_GOOGLE_TOKEN_URL`` is the token endpoint
(``https://oauth2.googleapis.com/token``); the key file's own ``token_uri`` is not
followed, so a key file cannot send the signed assertion elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

import jwt
import requests
from django.conf import settings

from mailboxes.problems import MailboxError, Problem
from mailboxes.tls import https_session

#: Full Gmail access: the only scope Gmail accepts for IMAP and SMTP with XOAUTH2.
GMAIL_SCOPE = "https://mail.google.com/"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
#: Google issues tokens for at most an hour; the assertion may ask for no more.
ASSERTION_SECONDS = 3600
#: A token is handed out again only while it has at least this long to live.
EARLY_SECONDS = 60

_tokens: dict[tuple[str, str, str, str], tuple[str, float]] = {}
_lock = threading.Lock()


def service_account(secret: str) -> dict[str, str]:
    """The fields of a service account's JSON key that sign in, or ``MailboxError``."""
    try:
        key = json.loads(secret)
    except ValueError as exc:
        detail = f"not a JSON key of a service account: {exc}"
        raise MailboxError(Problem.SECRET_MISSING, detail) from exc
    if not isinstance(key, dict):
        raise MailboxError(Problem.SECRET_MISSING, "not a JSON key of a service account")
    missing = [f for f in ("client_email", "private_key") if not isinstance(key.get(f), str)]
    if missing or key.get("type", "service_account") != "service_account":
        detail = ", ".join(missing) or f"type {key.get('type')!r}"
        raise MailboxError(Problem.SECRET_MISSING, f"JSON key of a service account: {detail}")
    return {
        "client_email": key["client_email"],
        "private_key": key["private_key"],
        "private_key_id": str(key.get("private_key_id") or ""),
    }


def assertion(
    account: dict[str, str], *, subject: str, scope: str, audience: str, now: float
) -> str:
    """The signed JWT Google trades for a token: the account acting for ``subject``."""
    claims = {
        "iss": account["client_email"],
        "sub": subject,
        "scope": scope,
        "aud": audience,
        "iat": int(now),
        "exp": int(now) + ASSERTION_SECONDS,
    }
    headers = {"kid": account["private_key_id"]} if account["private_key_id"] else None
    try:
        return jwt.encode(claims, account["private_key"], algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        raise MailboxError(Problem.SECRET_MISSING, f"private_key cannot sign: {exc}") from exc


def _key(secret: str, subject: str, scope: str) -> tuple[str, str, str, str]:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return (settings.MAILBOX_GOOGLE_TOKEN_URL, digest, subject, scope)


def google_token(*, secret: str, subject: str, scope: str = GMAIL_SCOPE) -> str:
    """A valid access token for ``subject``'s mailbox: kept, or freshly asked for."""
    key = _key(secret, subject, scope)
    now = time.time()
    with _lock:
        kept = _tokens.get(key)
    if kept is not None and kept[1] - EARLY_SECONDS > now:
        return kept[0]
    account = service_account(secret)
    url = settings.MAILBOX_GOOGLE_TOKEN_URL
    form = {
        "grant_type": JWT_BEARER,
        "assertion": assertion(account, subject=subject, scope=scope, audience=url, now=now),
    }
    try:
        response = https_session(settings.MAILBOX_CA_FILE).post(
            url, data=form, timeout=settings.MAILBOX_TIMEOUT_SECONDS
        )
    except requests.exceptions.SSLError as exc:
        raise MailboxError(Problem.CERTIFICATE, str(exc)) from exc
    except requests.Timeout as exc:
        raise MailboxError(Problem.TIMEOUT, str(exc)) from exc
    except requests.RequestException as exc:
        raise MailboxError(Problem.CONNECT, str(exc)) from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    token = body.get("access_token") if isinstance(body, dict) else None
    if response.status_code != 200 or not isinstance(token, str) or not token:
        detail = (
            f"{body.get('error', response.status_code)}: {body.get('error_description', '')}"
            if isinstance(body, dict)
            else str(response.status_code)
        )
        raise MailboxError(Problem.GOOGLE_TOKEN, detail.strip(": "))
    try:
        lifetime = float(body.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600.0
    with _lock:
        _tokens[key] = (token, now + lifetime)
    return token


def google_tokens_forget(*, secret: str, subject: str, scope: str = GMAIL_SCOPE) -> None:
    """Drop the kept token: the mail server said it expired or was revoked."""
    with _lock:
        _tokens.pop(_key(secret, subject, scope), None)
