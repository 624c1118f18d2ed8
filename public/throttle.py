"""Rate limits of the public pages: per client address and per email address or number.

Counted by django-ratelimit in the ``ratelimit`` cache (Redis when ``REDIS_URL``
is set, so all web server processes share the counts; otherwise each process
counts on its own). The client address is the one the sign-in lockout uses
(``staff.client_ip``): behind the TLS proxy, the address the proxy saw.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from staff.client_ip import client_ip


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def too_many_from_client(request: HttpRequest) -> bool:
    """Counts this post against the client address; True once over ``PUBLIC_RATE_PER_IP``."""
    return is_ratelimited(
        request,
        group="public.client",
        key=_ip_key,
        rate=settings.PUBLIC_RATE_PER_IP,
        increment=True,
    )


def too_many_for_address(request: HttpRequest, addresses: list[str]) -> bool:
    """Counts this post against each email address and number given; True once any is over.

    The cache keys hold a hash, never the address itself.
    """
    limited = False
    for address in filter(None, addresses):
        digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
        limited |= is_ratelimited(
            request,
            group="public.address",
            key=lambda group, request, digest=digest: digest,
            rate=settings.PUBLIC_RATE_PER_ADDRESS,
            increment=True,
        )
    return limited
