"""What every post of a phone system is checked against, read once per process and kept.

The phone systems (by the hash of their token) and the blocked numbers change a
few times a year, and every call event needs both: a query for each on every
event cost more than the rest of the check. So each process keeps them, under a
**generation** in the shared cache (Redis in production, the file cache of the
embedded set-up), and the rule that keeps them right is:

* **every change to a phone system or a blocked number sets a new generation**,
  at once and again when its transaction commits (``telephony_known_changed``:
  the services and the model signals call it, so the admin's and the privacy
  jobs' changes count too; a revoke is a queryset update and calls it itself);
* a process uses what it keeps only while it carries the current generation,
  which it reads from the cache on every post (one round trip, no query), and
  read *before* loading, so a load that raced a change is loaded again;
* and at most ``MAX_AGE_SECONDS`` in any case, for a change made past the ORM.

So a revoked token is refused at once, in every process. A generation the cache
lost only costs a load (two small queries).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from telephony.models import BlockedNumber, PhoneSystem
from telephony.signing import token_hash

GENERATION = "telephony:known:generation"
#: The longest a process keeps what it read without reading it again, whatever the cache says.
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Known:
    generation: str | None
    loaded_at: float
    #: Every phone system (revoked ones too, so they can be told so), by the hash of its token.
    systems: dict[str, PhoneSystem]
    blocked: frozenset[str]

    def system_for(self, token: str) -> PhoneSystem | None:
        """The phone system whose token this is (revoked ones too, so they can be told so).

        The instance is shared by the requests of this process: read it, never change it."""
        if not token or len(token) > 200:
            return None
        return self.systems.get(token_hash(token))


_known: Known | None = None
_lock = threading.Lock()


def _current_generation() -> str | None:
    generation = cache.get(GENERATION)
    if generation is None:
        cache.add(GENERATION, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION)
    return generation


def _load(generation: str | None) -> Known:
    return Known(
        generation=generation,
        loaded_at=time.monotonic(),
        systems={system.token_hash: system for system in PhoneSystem.objects.all()},
        blocked=frozenset(BlockedNumber.objects.values_list("number", flat=True)),
    )


def known() -> Known:
    """The phone systems and blocked numbers as this process keeps them, current."""
    global _known
    generation = _current_generation()
    kept = _known
    fresh = kept is not None and time.monotonic() - kept.loaded_at < MAX_AGE_SECONDS
    if fresh and generation is not None and kept.generation == generation:
        return kept
    with _lock:
        _known = _load(generation)
        return _known


def system_for_token(token: str) -> PhoneSystem | None:
    """The phone system whose token this is, as ``Known.system_for`` says, current."""
    return known().system_for(token)


def number_blocked(number: str) -> bool:
    """Whether a manager blocked this number (E.164): its calls are rejected."""
    return bool(number) and number in known().blocked


def _new_generation() -> None:
    cache.set(GENERATION, secrets.token_hex(8), timeout=None)


def telephony_known_changed(**_signal: object) -> None:
    """A phone system or blocked number changed: every process reads them again.

    At once, so the rest of this transaction sees the change, and when it commits,
    so a process that read the rows between the two does not keep what it read."""
    _new_generation()
    transaction.on_commit(_new_generation)
