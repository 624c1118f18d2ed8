"""Who may post call events: the token, the optional signature, the optional address list.

Pure functions over strings. The token is the secret in the URL (as in Zammad);
only its SHA-256 is stored, which is enough for a random 256-bit token (no
password hashing needed: nobody can guess it, so nothing is to be slowed down).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

SIGNATURE_HEADER = "X-Signature"
_SIGNATURE_PREFIX = "sha256="


def token_new() -> str:
    """A fresh token: 43 URL-safe characters (256 random bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def signature(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the HMAC in hex."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return _SIGNATURE_PREFIX + digest


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` (compared in constant time)."""
    if not header:
        return False
    return hmac.compare_digest(signature(secret, body), header.strip())


def networks_parse(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """One address or network per line (commas work too); raises ``ValueError`` on a bad one."""
    entries = [part.strip() for line in text.splitlines() for part in line.split(",")]
    return [ipaddress.ip_network(entry, strict=False) for entry in entries if entry]


def address_allowed(address: str | None, networks_text: str) -> bool:
    """Whether ``address`` is in the allow-list; an empty list allows every address."""
    networks = networks_parse(networks_text)
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)
