"""Sessions in the database that know when they were last written (``SESSION_ENGINE``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, keeping the expiry stored with the session it loaded.

    A session row expires ``SESSION_COOKIE_AGE`` after its last save, so that expiry
    says when the session was last written: ``SessionIdleMiddleware`` reads it to move
    the expiry on at most once a minute, at no cost beyond the load it does anyway.
    """

    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self) -> Any:
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session is not None else None
        return session
