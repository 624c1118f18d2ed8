"""Why a callback could not be booked or changed, and the outcomes of a callback attempt."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Errors -------------------------------------------------------------------------------


class CallbackError(Exception):
    """A callback could not be booked or changed; the message is for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class InvalidTime(CallbackError, ValueError):
    """A naive datetime, or one too far in the past or future."""


class CaseNotActive(CallbackError):
    """Closed and resolved cases get no callbacks."""


class NoCapacity(CallbackError):
    """No phone day in the search span takes callbacks, or every slot in it is full."""


class SlotUnavailable(CallbackError):
    """The time asked for is outside phone hours or its slot is full; ``choices`` are free slots."""

    def __init__(self, message: str, choices: list[dt.datetime]) -> None:
        super().__init__(message)
        self.choices = choices


class AlreadyClaimed(CallbackError):
    """Someone else is already making this callback."""


class CallbackOutcome(models.TextChoices):
    REACHED = "reached", gettext_lazy("Reached")
    NO_ANSWER = "no_answer", gettext_lazy("No answer")
    WRONG_NUMBER = "wrong_number", gettext_lazy("Wrong number")


#: Used by every entry point: a time given must be aware; none given means now.
def aware_or_now(at: dt.datetime | None, what: str) -> dt.datetime:
    if at is None:
        return timezone.now()
    if not isinstance(at, dt.datetime):
        raise InvalidTime(_("The %(what)s is not a date and time.") % {"what": what})
    if timezone.is_naive(at):
        raise InvalidTime(
            _("The %(what)s has no time zone; give a time with its zone.") % {"what": what}
        )
    return at
