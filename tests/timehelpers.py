"""Dutch wall-clock times for the tests: the helpdesk's promises are made in Amsterdam time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware Amsterdam wall-clock time, e.g. ``local(2026, 12, 1, 10, 15)``."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)
