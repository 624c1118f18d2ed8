"""Rate limits of the public pages: per client address and per email address or number.

Counted in fixed windows of an hour by ``staff.throttle`` (the mechanism the forgotten
password page uses), in the cache every process shares: Redis in production, files
under ``var/`` in the embedded set-up. The client address is the one the sign-in
lockout uses (``staff.client_ip``): behind the TLS proxy, the address the proxy saw.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest

from staff.client_ip import client_ip
from staff.throttle import throttle_allows

HOUR = 60 * 60


def too_many_from_client(request: HttpRequest) -> bool:
    """Counts this post against the client address; True once over the hour's limit."""
    return not throttle_allows(
        key=f"public:client:{client_ip(request) or 'unknown'}",
        limit=settings.PUBLIC_POSTS_PER_IP_PER_HOUR,
        window_seconds=HOUR,
    )


def too_many_for_address(request: HttpRequest, addresses: list[str]) -> bool:
    """Counts this post against each email address and number given; True once any is over.

    The cache keys hold a hash, never the address itself.
    """
    limited = False
    for address in filter(None, addresses):
        digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
        limited |= not throttle_allows(
            key=f"public:address:{digest}",
            limit=settings.PUBLIC_POSTS_PER_ADDRESS_PER_HOUR,
            window_seconds=HOUR,
        )
    return limited
