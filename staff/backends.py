"""The lockout check that runs before any password is hashed (first in AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """axes' check: a locked-out username or address is refused before the password is tried.

    It signs nobody in itself; ModelBackend, next in the list, checks the password.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Every sign-in over HTTP passes the request (Django's and the admin's login views
        # do). Without one (the test client's login(), a shell) there is no address to
        # count failures by, and axes would refuse outright instead of checking nothing.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
