"""The pop-up's poll, made cheap: a poll token that ends with the sign-in, and the cached key.

Every signed-in page polls ``/telephony/ringing/`` once a second, and nearly every
answer is "nothing changed". ``telephony.middleware.RingingPollMiddleware``,
placed before the session, answers that 204 from the cache alone (one round
trip: no query, no session, no user); ``telephony.ringing`` says how the cached
key of what rings stays right. Whatever shows content goes through the full,
signed-in view, which also hands out a fresh token; the fast path never returns
data, only "unchanged".

**The poll token ends with the sign-in.** A token is signed for a user and a
*poll grant* of theirs, and valid ``POLL_TOKEN_AGE`` at most. The grant is kept
in the cache and removed when the user signs out (``poll_grants_end``, on
Django's ``user_logged_out``, which every way of signing out sends), so the next
poll with an old token goes on to the signed-in view, which refuses it. A grant
the cache lost is, for the fast path, the same as a sign-out: the view checks
the session and makes a new one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.cache import cache

from telephony.ringing import GENERATION, RINGING, ringing_key_cached, ringing_key_refresh

POLL_TOKEN_AGE = dt.timedelta(minutes=10)
_SALT = "telephony.ringing-poll"


def _grant_key(user_id: int) -> str:
    return f"telephony:poll-grant:{user_id}"


@dataclass(frozen=True)
class PollToken:
    user_id: int
    grant: str


def poll_token(user_id: int) -> str:
    """A poll token for the user, on their current grant (made when they have none)."""
    key = _grant_key(user_id)
    grant = cache.get(key)
    if grant is None:
        grant = secrets.token_urlsafe(12)
        # add, not set: two pages of one user asking at once share one grant.
        if not cache.add(key, grant, timeout=None):
            grant = cache.get(key, grant)
    return signing.TimestampSigner(salt=_SALT).sign(f"{user_id}.{grant}")


def poll_token_read(token: str, *, max_age: dt.timedelta = POLL_TOKEN_AGE) -> PollToken | None:
    """What the token says, if it is genuine and younger than ``max_age`` (no cache, no query)."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token or "", max_age=max_age)
    except signing.BadSignature:
        return None
    user_id, _, grant = value.partition(".")
    return PollToken(int(user_id), grant) if user_id.isdigit() and grant else None


def poll_token_user(token: str, *, max_age: dt.timedelta = POLL_TOKEN_AGE) -> int | None:
    """The user of a genuine, fresh token whose grant still holds (they did not sign out)."""
    read = poll_token_read(token, max_age=max_age)
    if read is None or cache.get(_grant_key(read.user_id)) != read.grant:
        return None
    return read.user_id


def poll_grants_end(user_id: int) -> None:
    """End every poll token of the user at once (they signed out)."""
    cache.delete(_grant_key(user_id))


def poll_grants_end_on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_out`` receiver: signing out ends the pop-up's poll tokens too."""
    if user is not None and user.pk is not None:
        poll_grants_end(user.pk)


def unchanged_poll(token: str, shown: str) -> bool:
    """Whether a poll can be answered "unchanged" without the session: a genuine, fresh
    token whose grant holds, and the pop-up already shows what rings. One cache round
    trip; one query only when the cache has no current key."""
    read = poll_token_read(token)
    if read is None:
        return False
    found = cache.get_many([_grant_key(read.user_id), GENERATION, RINGING])
    if found.get(_grant_key(read.user_id)) != read.grant:
        return False
    key = ringing_key_cached(found)
    if key is None:
        key = ringing_key_refresh(found.get(GENERATION))
    return key == shown
