"""Presence on a case page: each open page reports in; others see who is there.

Works on any database (the embedded SQLite included) without a cache server: one
upsert per report and one indexed read of the rows of the last seconds.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser

from cases.models import Case, CasePresence


def presence_record(
    *, case: Case, user: AbstractBaseUser, writing: bool, now: dt.datetime
) -> CasePresence:
    """``user`` has ``case`` open (and is writing a reply when ``writing``)."""
    presence, _created = CasePresence.objects.update_or_create(
        case=case, user=user, defaults={"writing": writing, "seen_at": now}
    )
    return presence
