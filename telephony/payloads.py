"""Reading what a phone system posts into one call event (pure: no models, no settings).

Two dialects arrive:

* Zammad's generic CTI API, unchanged, so existing bridges (Asterisk, 3CX,
  STARFACE …) work: ``event`` = ``newCall`` | ``answer`` | ``hangup``, ``from``,
  ``to``, ``direction`` (``in``/``out``), ``callId``, ``user`` (or ``user[]`` in
  form posts), ``queue``, on answer ``answeringNumber``, on hangup ``cause``.
* Voys call notifications: ``call_id``, ``timestamp``, ``status`` (``created``,
  ``ringing``, ``in-progress``, ``ended``), ``direction`` (``inbound``/``outbound``),
  ``caller.number``/``caller.name``, ``destination.number``.

Anything that does not fit raises ``PayloadError`` with a message for the
operator of the bridge; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cases.phones import try_normalise

NEW_CALL, ANSWER, HANGUP = "newCall", "answer", "hangup"
EVENTS = (NEW_CALL, ANSWER, HANGUP)
CAUSES = ("normalClearing", "busy", "cancel", "noAnswer", "congestion", "notFound", "forwarded")
#: What phone systems send for a caller who hides their number.
ANONYMOUS = frozenset({"", "anonymous", "unknown", "restricted", "private", "withheld"})
#: A number as a phone system writes it: digits, "+" and punctuation, nothing else.
_PHONE_TEXT = re.compile(r"^[0-9+()\-\s./]{1,40}$")
_CALL_ID = re.compile(r"^[\x21-\x7e]{1,250}$")
MAX_TEXT = 100
MAX_USERS = 20
#: A Voys timestamp further than this from the time of receipt is refused.
MAX_CLOCK_SKEW = dt.timedelta(hours=24)


class PayloadError(ValueError):
    """The post cannot be read as a call event; the message says what is wrong."""


@dataclass(frozen=True)
class Party:
    """The other party of a call: their number in E.164, or why there is none."""

    raw: str
    number: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class CallEventData:
    kind: str
    call_id: str
    direction: str | None
    from_raw: str = ""
    to_raw: str = ""
    users: tuple[str, ...] = ()
    queue: str = ""
    answering_number: str = ""
    #: None on a hangup that does not say why (Voys): read from whether it was answered.
    cause: str | None = None
    occurred_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def other_party(self) -> str:
        """The caller on an incoming call, the number called on an outgoing one."""
        return self.to_raw if self.direction == "out" else self.from_raw


def party(raw: str) -> Party:
    """Classify a number as sent: anonymous, a number in E.164, or a number we cannot call.

    Bridges often send international numbers without the "+" (``31546123456``,
    Zammad's own examples do), so digits that are no Dutch number are tried once
    more as international. Text that is not even written like a number is an error.
    """
    text = (raw or "").strip()
    if text.lower() in ANONYMOUS:
        return Party(raw=text, anonymous=True)
    if not _PHONE_TEXT.match(text):
        raise PayloadError(f"“{text[:40]}” is not a phone number")
    number = try_normalise(text)
    digits = re.sub(r"\D", "", text)
    if number is None and text == digits and not digits.startswith("0"):
        number = try_normalise("+" + digits)
    return Party(raw=text, number=number or "")


def refuse_nul(data: Any) -> None:
    """No NUL character anywhere: PostgreSQL cannot store one, and no phone system means one."""
    if "\\u0000" in json.dumps(data):
        raise PayloadError("the post contains a NUL character")


def _text(data: Mapping[str, Any], key: str, *, limit: int = MAX_TEXT) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PayloadError(f"“{key}” must be text")
    if len(value) > limit:
        raise PayloadError(f"“{key}” is longer than {limit} characters")
    return value.strip()


def _users(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise PayloadError("“user” must be a name or a list of names")
    if len(names) > MAX_USERS:
        raise PayloadError(f"“user” names more than {MAX_USERS} people")
    return tuple(n.strip()[:MAX_TEXT] for n in names if n.strip())


def zammad_event(data: Mapping[str, Any]) -> CallEventData:
    """One event of Zammad's generic CTI API (JSON object, or form fields as a mapping).

    Form posts repeat ``user[]`` for each person: pass a mapping whose ``user[]``
    (or ``user``) value is the list.
    """
    kind = _text(data, "event")
    if kind not in EVENTS:
        raise PayloadError("“event” must be newCall, answer or hangup")
    call_id = _text(data, "callId", limit=250)
    if not _CALL_ID.match(call_id):
        raise PayloadError("“callId” is missing or not printable text of at most 250 characters")
    direction = _text(data, "direction") or None
    if direction not in (None, "in", "out"):
        raise PayloadError("“direction” must be in or out")
    cause = _text(data, "cause") or None
    if kind == HANGUP and cause is not None and cause not in CAUSES:
        raise PayloadError("“cause” is not one of " + ", ".join(CAUSES))
    if kind == HANGUP and cause is None:
        cause = "normalClearing"
    users = data.get("user[]", data.get("user"))
    event = CallEventData(
        kind=kind,
        call_id=call_id,
        direction=direction,
        from_raw=_text(data, "from", limit=40),
        to_raw=_text(data, "to", limit=40),
        users=_users(users),
        queue=_text(data, "queue"),
        answering_number=_text(data, "answeringNumber"),
        cause=cause if kind == HANGUP else None,
    )
    party(event.other_party)  # refuses text that is no number at all
    return event


VOYS_STATUSES = {"created": NEW_CALL, "ringing": NEW_CALL, "in-progress": ANSWER, "ended": HANGUP}
VOYS_DIRECTIONS = {"inbound": "in", "outbound": "out", "in": "in", "out": "out"}
#: Voys's reasons for an ended call, where one is given, in Zammad's words.
VOYS_REASONS = {
    "completed": "normalClearing",
    "no-answer": "noAnswer",
    "busy": "busy",
    "cancelled": "cancel",
    "canceled": "cancel",
    "failed": "congestion",
}


def _part(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        raise PayloadError(f"“{key}” must be an object")
    return value


def voys_event(data: Mapping[str, Any], *, now: dt.datetime) -> CallEventData:
    """A Voys call notification as one of the three events (``created`` and ``ringing``
    both ring; a repeat is a duplicate). An ``ended`` without a reason is read later:
    answered means ended normally, never answered means missed."""
    status = _text(data, "status")
    if status not in VOYS_STATUSES:
        raise PayloadError("“status” must be created, ringing, in-progress or ended")
    call_id = _text(data, "call_id", limit=250)
    if not _CALL_ID.match(call_id):
        raise PayloadError("“call_id” is missing or not printable text of at most 250 characters")
    raw_direction = _text(data, "direction")
    if raw_direction and raw_direction not in VOYS_DIRECTIONS:
        raise PayloadError("“direction” must be inbound or outbound")
    caller, destination = _part(data, "caller"), _part(data, "destination")
    occurred_at = None
    if raw := _text(data, "timestamp", limit=40):
        try:
            occurred_at = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError as exc:
            raise PayloadError("“timestamp” is not an ISO 8601 time") from exc
        if occurred_at.tzinfo is None:
            raise PayloadError("“timestamp” has no time zone")
        if abs(occurred_at - now) > MAX_CLOCK_SKEW:
            raise PayloadError("“timestamp” is more than a day away from now")
    kind = VOYS_STATUSES[status]
    reason = _text(data, "reason")
    name = _text(caller, "name")
    event = CallEventData(
        kind=kind,
        call_id=call_id,
        direction=VOYS_DIRECTIONS.get(raw_direction),
        from_raw=_text(caller, "number", limit=40),
        to_raw=_text(destination, "number", limit=40),
        users=(),
        answering_number=_text(destination, "target_number")
        or _text(destination, "account_number"),
        cause=VOYS_REASONS.get(reason) if kind == HANGUP else None,
        occurred_at=occurred_at,
        extra={"caller_name": name} if name else {},
    )
    party(event.other_party)
    return event
