"""What the session remembers at sign-in, so later requests need no query for it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from staff.lockout import refusals_forget
from staff.selectors import has_two_factor

#: Session key: whether the signed-in user has two-factor sign-in set up (a bool).
TWO_FACTOR_SET_UP_KEY = "_two_factor_set_up"


def remember_two_factor(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """On every sign-in (``user_logged_in``), note whether this user owes a code."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TWO_FACTOR_SET_UP_KEY] = has_two_factor(user)


def forget_refusals_on_unlock(sender: Any, **kwargs: Any) -> None:
    """A record of failures was removed (an unlock, or expiry): drop remembered refusals."""
    refusals_forget()
