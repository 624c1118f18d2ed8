"""Template tags of callbacks: the promised slot in words, phone numbers as people write them.

``{{ callback|slot_in_words }}`` gives "maandag 30 november tussen 08:30 en 08:45"
in Dutch and "Monday 30 November between 08:30 and 08:45" in English: the
words the caller is told, in the active language.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.phones import display
from scheduling.models.callbacks import Callback, CallbackState

register = template.Library()


@register.filter
def day_words(day: dt.date) -> str:
    """A date as said to a caller: "maandag 30 november" / "Monday 30 November"."""
    return formats.date_format(day, "l j F")


def slot_words(start: dt.datetime, minutes: int) -> str:
    """A slot as told to a caller, in the active language and Dutch time.

    The end is computed on the instant (not the wall clock), so it is right on
    the days the clocks change.
    """
    local = timezone.localtime(start)
    end = timezone.localtime(start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes))
    return _("%(day)s between %(start)s and %(end)s") % {
        "day": day_words(local.date()),
        "start": local.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


@register.filter
def slot_in_words(callback) -> str:
    """The slot of a ``Callback`` in words."""
    return slot_words(callback.slot_start, callback.slot_minutes)


@register.filter
@lru_cache(maxsize=4096)
def phone_display(number: str) -> str:
    """An E.164 number written as Dutch people do (national form for Dutch numbers).

    Remembered per number: parsing costs more than the rest of a queue row.
    """
    return display(number) if number else ""


@register.simple_tag
def pending_callbacks(case) -> list:
    """The callbacks still to be made for ``case``, earliest first, with who booked and who
    claimed them (the case page's block and its timeline's last entries)."""
    return list(
        Callback.objects.filter(case=case, state__in=CallbackState.open())
        .select_related("claimed_by", "created_by")
        .order_by("slot_start", "pk")
    )
