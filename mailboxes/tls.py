"""TLS for every mailbox connection (IMAP, SMTP, Microsoft's identity platform, Graph).

Certificates and host names are verified against the system's authorities, plus the
PEM file ``settings.MAILBOX_CA_FILE`` names (a company's own authority), the same way
for each protocol.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import requests
from requests.adapters import HTTPAdapter


@functools.lru_cache(maxsize=8)
def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificate and host name verified; ``ca_file`` trusted besides the system's authorities.

    Made once per ``ca_file`` and shared (contexts are safe to share between threads):
    reading the system's authorities costs more CPU than the rest of an empty poll.
    """
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class _VerifiedAdapter(HTTPAdapter):
    def __init__(self, ca_file: str) -> None:
        self._context = tls_context(ca_file)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # The context already holds what is trusted: requests would otherwise load its own
        # bundle (or REQUESTS_CA_BUNDLE) into the shared context on every new connection.
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = conn.ca_cert_dir = None

    def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(*args, **kwargs)


def https_session(ca_file: str = "") -> requests.Session:
    """A requests session whose HTTPS is verified as :func:`tls_context` says."""
    session = requests.Session()
    session.mount("https://", _VerifiedAdapter(ca_file))
    return session
