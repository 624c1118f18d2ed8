"""Counting requests in fixed windows, in the cache shared by every process.

Used where a form must not become a mail cannon: the "forgot your password"
page sends at most a few mails to one account, and takes at most so many
requests from one address, per hour.
"""

from __future__ import annotations

from django.core.cache import cache


def throttle_allows(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more use of ``key``; True while the window holds no more than ``limit``.

    The window starts at the first use and lasts ``window_seconds``; ``cache.add``
    and ``cache.incr`` are atomic in Redis, so processes cannot both take the last
    place. A limit of 0 or less switches the throttle off.
    """
    if limit <= 0:
        return True
    cache_key = f"throttle:{key}"
    if cache.add(cache_key, 1, window_seconds):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr: a new window
        cache.add(cache_key, 1, window_seconds)
        return True
