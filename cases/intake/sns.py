"""Verifying Amazon SNS message signatures (anymail checks only the topic headers).

Amazon SES reaches us through SNS. Every SNS message is signed by AWS:
``Signature`` is an RSA signature (PKCS#1 v1.5) over a canonical string of some
of the message's fields — SHA-1 for ``SignatureVersion`` 1, SHA-256 for 2 — with
the key in the certificate at ``SigningCertURL``.

The rules:

- the certificate is fetched only over https from ``sns.<region>.amazonaws.com``
  (no other host, port or user info); anything else is refused without a fetch;
- a fetched certificate is cached per URL in Django's cache;
- the certificate must be within its validity period;
- a message with an unknown signature version, a missing field or a signature
  that does not match is refused.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.cache import cache

#: https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-….pem
_CERT_HOST = re.compile(r"^sns\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com$")
CERT_CACHE_SECONDS = 24 * 3600
CERT_MAX_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 5

_SIGNED_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
    ),
}
_SIGNED_FIELDS["UnsubscribeConfirmation"] = _SIGNED_FIELDS["SubscriptionConfirmation"]
#: Only ``Subject`` may be absent (a notification published without one).
_OPTIONAL_FIELDS = frozenset({"Subject"})
_HASHES = {"1": hashes.SHA1, "2": hashes.SHA256}


class SnsVerificationError(Exception):
    """The SNS message is not proven to come from AWS."""


def signing_cert_url_allowed(url: str) -> bool:
    """True only for an https URL on ``sns.<region>.amazonaws.com`` ending in ``.pem``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and port is None
        and parts.username is None
        and parts.password is None
        and bool(_CERT_HOST.match(parts.hostname or ""))
        and parts.path.endswith(".pem")
    )


def canonical_string(message: dict[str, Any]) -> bytes:
    """The bytes AWS signed: ``name\\nvalue\\n`` for each signed field, in name order."""
    fields = _SIGNED_FIELDS.get(str(message.get("Type")))
    if fields is None:
        raise SnsVerificationError(f"unknown SNS message type {message.get('Type')!r}")
    lines = []
    for name in fields:
        if name not in message:
            if name in _OPTIONAL_FIELDS:
                continue
            raise SnsVerificationError(f"SNS message without {name}")
        value = message[name]
        if not isinstance(value, str):
            raise SnsVerificationError(f"SNS field {name} is not text")
        lines.append(f"{name}\n{value}\n")
    return "".join(lines).encode("utf-8")


def fetch_certificate(url: str) -> bytes:
    """Download the PEM certificate at ``url`` (already checked to be AWS's)."""
    request = urllib.request.Request(url, headers={"User-Agent": "pso-helpdesk"})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        pem = response.read(CERT_MAX_BYTES + 1)
    if len(pem) > CERT_MAX_BYTES:
        raise SnsVerificationError("SNS signing certificate too large")
    return pem


def signing_certificate(url: str) -> x509.Certificate:
    """The certificate at ``url``, from the cache or fetched once and then cached."""
    if not signing_cert_url_allowed(url):
        raise SnsVerificationError(f"SNS signing certificate URL not allowed: {url!r}")
    key = "sns-cert:" + hashlib.sha256(url.encode()).hexdigest()
    pem = cache.get(key)
    if pem is None:
        try:
            pem = fetch_certificate(url)
        except SnsVerificationError:
            raise
        except Exception as exc:  # network or HTTP error: the service retries later
            raise SnsVerificationError(f"SNS signing certificate not available: {exc}") from exc
        try:
            x509.load_pem_x509_certificate(pem)
        except ValueError as exc:
            raise SnsVerificationError("SNS signing certificate unreadable") from exc
        cache.set(key, pem, CERT_CACHE_SECONDS)
    return x509.load_pem_x509_certificate(pem)


def sns_verify(message: dict[str, Any], *, now: dt.datetime | None = None) -> None:
    """Raise ``SnsVerificationError`` unless ``message`` carries a valid AWS signature."""
    if not isinstance(message, dict):
        raise SnsVerificationError("SNS message is not an object")
    algorithm = _HASHES.get(str(message.get("SignatureVersion")))
    if algorithm is None:
        raise SnsVerificationError(
            f"unknown SNS signature version {message.get('SignatureVersion')!r}"
        )
    try:
        signature = base64.b64decode(str(message.get("Signature", "")), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SnsVerificationError("SNS signature is not base64") from exc
    if not signature:
        raise SnsVerificationError("SNS message without a signature")
    data = canonical_string(message)
    certificate = signing_certificate(str(message.get("SigningCertURL", "")))
    now = now or dt.datetime.now(dt.UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise SnsVerificationError("SNS signing certificate expired or not yet valid")
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SnsVerificationError("SNS signing certificate has no RSA key")
    try:
        public_key.verify(signature, data, padding.PKCS1v15(), algorithm())
    except InvalidSignature as exc:
        raise SnsVerificationError("SNS signature does not match") from exc
