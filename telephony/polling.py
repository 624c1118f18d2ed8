"""The pop-up's poll, made cheap: a signed poll token and the key of what the pop-up shows.

Every signed-in page polls ``/telephony/ringing/`` once a second. Going through
the whole middleware (session, user, two-factor check) costs several times more
than the answer itself, which is nearly always "nothing changed". So the poll
carries a token signed for the user (``poll_token``, valid ``POLL_TOKEN_AGE``),
and ``telephony.middleware.RingingPollMiddleware``, placed before the session,
answers an unchanged poll with 204 after one query. Whatever shows content goes
through the full, signed-in view, which also hands out a fresh token; the fast
path itself never returns data, only "unchanged".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core import signing

from telephony.models import Call

POLL_TOKEN_AGE = dt.timedelta(minutes=10)
#: At most this many ringing calls are shown at once (a queue with more waiting is rare,
#: and the pop-up must not cover the page); the key covers these.
MAX_SHOWN = 3
_SALT = "telephony.ringing-poll"


def poll_token(user_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(user_id))


def poll_token_user(token: str, *, max_age: dt.timedelta = POLL_TOKEN_AGE) -> int | None:
    """The user the token was signed for, if it is genuine and younger than ``max_age``."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token or "", max_age=max_age)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def ringing_key(calls: Iterable[Call]) -> str:
    """What the pop-up shows, in a few characters: each call and who answered it."""
    return ",".join(f"{call.pk}.{call.answered_by_id or 0}" for call in calls)
