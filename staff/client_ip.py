"""The address a sign-in attempt comes from, as the lockout counts it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind the TLS proxy the one it forwarded.

    The proxy appends the address it saw to ``X-Forwarded-For``, so the right-most entry
    is the client; entries to its left are whatever the client itself sent, and would let
    anyone pick a fresh address for every attempt. The header is only believed from the
    proxies gunicorn trusts (``FORWARDED_ALLOW_IPS``). django-ipware was tried for this;
    its ``proxy_count`` rules expect the proxy's own address in the header, which a single
    nginx or Caddy in front does not add.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.SIGN_IN_IP_FROM_FORWARDED_FOR or not _is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _is_trusted_proxy(remote: str | None) -> bool:
    trusted = settings.SIGN_IN_TRUSTED_PROXIES
    return "*" in trusted or (remote is not None and remote in trusted)
