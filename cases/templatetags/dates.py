"""``{{ moment|list_date:"j M Y H:i" }}``: Django's ``date`` filter, cheaper for list rows.

Django's ``date`` filter builds a ``DateFormat`` per value (time zone checks, a
format parser, a method call per letter): lists draw one or two per row, and on the
case list and the at-risk page that was a sixth of the page's CPU. This filter writes
the few formats the lists use (the letters ``D j M Y H i``, separators, and ``c``)
straight from the moment, with Django's own month and day names in the active
language; any other format or value goes to Django's filter.
``tests/cases/test_list_date.py`` holds it to ``date`` for every hour of a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

register = template.Library()

_LETTERS: dict[str, Callable[[dt.datetime], str]] = {
    "D": lambda moment: str(WEEKDAYS_ABBR[moment.weekday()]),
    "j": lambda moment: str(moment.day),
    "M": lambda moment: str(MONTHS_3[moment.month]).title(),
    "Y": lambda moment: f"{moment.year:04d}",
    "H": lambda moment: f"{moment.hour:02d}",
    "i": lambda moment: f"{moment.minute:02d}",
}
_SEPARATORS = set(" :-/.,")


@lru_cache(maxsize=64)
def _plan(format_string: str) -> tuple[Callable[[dt.datetime], str] | str, ...] | None:
    """The format as letters to fill in and separators to copy; None when it holds
    anything else (Django's filter draws those)."""
    if format_string == "c":
        return (dt.datetime.isoformat,)
    plan: list[Callable[[dt.datetime], str] | str] = []
    for char in format_string:
        if char in _LETTERS:
            plan.append(_LETTERS[char])
        elif char in _SEPARATORS:
            plan.append(char)
        else:
            return None
    return tuple(plan)


@register.filter(expects_localtime=True, is_safe=False)
def list_date(value: Any, format_string: str) -> str:
    """A moment (already in local time, as for ``date``) in ``format_string``."""
    plan = _plan(format_string) if isinstance(value, dt.datetime) else None
    if plan is None:
        return django_date(value, format_string)
    return "".join(part if isinstance(part, str) else part(value) for part in plan)
