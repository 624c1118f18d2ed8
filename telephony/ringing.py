"""What rings now, as the pop-up's key, kept in the cache under a generation.

The rule that keeps the cached key right: **every stored call event sets a new
generation when its transaction commits** (``ringing_changed``, called by
``call_event_apply``). A poll caches the key it read under the generation it saw
*before* reading the calls, so a poll that read them just before the commit
cached them under the old generation. A cached key is only used while it
carries the current generation, and lives at most ``RINGING_CACHE_SECONDS``
(a call also stops showing when it rang ``RINGING_WINDOW`` ago, without any
event, so the key must be looked at again by then). A generation the cache lost
only costs one lookup.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from telephony.models import Call
from telephony.selectors import RINGING_WINDOW, calls_ringing

#: At most this many ringing calls are shown at once (a queue with more waiting is rare,
#: and the pop-up must not cover the page); the key covers these.
MAX_SHOWN = 3
#: The longest a cached key of what rings is used without looking at the calls again.
RINGING_CACHE_SECONDS = 60
GENERATION = "telephony:ringing:generation"
RINGING = "telephony:ringing:key"


def ringing_key(calls: Iterable[Call]) -> str:
    """What the pop-up shows, in a few characters: each call and who answered it."""
    return ",".join(f"{call.pk}.{call.answered_by_id or 0}" for call in calls)


def ringing_changed() -> None:
    """A call event was stored: once it commits, the cached key is out of date.

    Not before: until the commit, a poll reads the calls as they were, and that is right.
    """
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION, secrets.token_hex(8), timeout=None)


def cache_seconds(calls: Iterable[Call], *, now: dt.datetime) -> int:
    """How long a key may be cached: ``RINGING_CACHE_SECONDS``, or until the oldest shown
    call leaves the ringing window, whichever comes first (at least one second)."""
    seconds = float(RINGING_CACHE_SECONDS)
    for call in calls:
        seconds = min(seconds, (call.started_at + RINGING_WINDOW - now).total_seconds())
    return max(int(seconds), 1)


def ringing_key_cached(found: dict) -> str | None:
    """The cached key in ``found`` (a ``get_many`` of ``GENERATION`` and ``RINGING``), if it
    carries the current generation; else ``None``."""
    generation, cached = found.get(GENERATION), found.get(RINGING)
    if generation is not None and cached is not None and cached[0] == generation:
        return cached[1]
    return None


def ringing_key_refresh(generation: str | None) -> str:
    """Look up what rings (one query) and cache its key under ``generation``, which the
    caller read *before* this lookup (``None``: it had none; one is made)."""
    if generation is None:
        cache.add(GENERATION, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION)
    now = timezone.now()
    calls = list(calls_ringing(now=now)[:MAX_SHOWN])
    key = ringing_key(calls)
    cache.set(RINGING, (generation, key), timeout=cache_seconds(calls, now=now))
    return key
