"""Signing SNS messages the way AWS does, with a key and certificate made for the tests.

There is no network in the tests: ``sns_certificate`` (a fixture) serves the
test certificate instead of fetching it and counts the fetches.
"""

from __future__ import annotations

import base64
import datetime as dt
from functools import cache

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from cases.intake import sns

CERT_URL = (
    "https://sns.eu-west-1.amazonaws.com/"
    "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"
)


@cache
def key_and_certificate() -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, certificate.public_bytes(serialization.Encoding.PEM)


def sns_sign(message: dict, *, version: str = "1", key: rsa.RSAPrivateKey | None = None) -> dict:
    """``message`` with SignatureVersion, SigningCertURL (unless set) and Signature."""
    message = dict(message)
    message["SignatureVersion"] = version
    message.setdefault("SigningCertURL", CERT_URL)
    key = key or key_and_certificate()[0]
    algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
    data = sns.canonical_string(message)
    message["Signature"] = base64.b64encode(key.sign(data, padding.PKCS1v15(), algorithm)).decode()
    return message


@pytest.fixture
def sns_certificate(monkeypatch):
    """Serve the test certificate for any URL fetched; the list holds the URLs fetched."""
    from django.core.cache import cache as django_cache

    django_cache.clear()
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return key_and_certificate()[1]

    monkeypatch.setattr(sns, "fetch_certificate", fetch)
    yield fetched
    django_cache.clear()
