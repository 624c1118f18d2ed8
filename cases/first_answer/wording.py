"""Working time in words, written one way on every page, list and mail.

``2 h 05 min`` for a duration, ``3 h 20 min left`` / ``2 h 10 min late`` for the
time until a due moment (Dutch: ``nog 3 u 20 min``, ``2 u 10 min te laat``). Hours
go past 24: these are working hours, not days. Pure: no models, no clock.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

MINUTE = dt.timedelta(minutes=1)


def duration_words(value: dt.timedelta) -> str:
    """``"2 h 05 min"``, ``"45 min"``: the size of a stretch of working time, without sign."""
    minutes = int(abs(value) // MINUTE)
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


def time_left_words(value: dt.timedelta) -> str:
    """``"3 h 20 min left"`` or, when negative, ``"2 h 10 min late"``."""
    if value < dt.timedelta():
        return _("%(time)s late") % {"time": duration_words(value)}
    return _("%(time)s left") % {"time": duration_words(value)}
