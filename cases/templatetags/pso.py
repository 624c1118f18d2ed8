"""Template tags of cases: the PSO status badge shown wherever an organisation is.

``{% pso_badge status %}`` takes a ``PsoStatus`` record (or None: not assessed);
``{% pso_badge_level level valid_until %}`` takes the raw level and end date, as
annotated on list rows (``cases.selectors.cases_with_current_pso``) or kept on a
case as the snapshot of its opening (pass ``flag_expiry=False`` there: a warning
about the end of a status only makes sense for the status in force today).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cases.models import PsoLevel, PsoStatus

register = template.Library()


def expires_soon(valid_until: dt.date | None, today: dt.date, days: int) -> bool:
    """True when a status ends within ``days`` days of ``today`` and has not ended yet.

    The same rule as ``PsoStatus.expires_within``, for a bare date from a list row.
    """
    return valid_until is not None and today <= valid_until <= today + dt.timedelta(days=days)


def badge_context(
    level: str | None,
    valid_until: dt.date | None,
    *,
    flag_expiry: bool = True,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """What the badge template shows: the level and its label, the end date and the flag."""
    level = level or PsoLevel.NONE
    try:
        label = PsoLevel(level).label
    except ValueError:
        label = level
    today = today or timezone.localdate()
    return {
        "level": level,
        "label": label,
        "valid_until": valid_until,
        "expiring": flag_expiry
        and expires_soon(valid_until, today, settings.PSO_EXPIRY_WARNING_DAYS),
        "warning_days": settings.PSO_EXPIRY_WARNING_DAYS,
    }


def badge_html(context: dict[str, Any]) -> SafeString:
    """The badge drawn from ``badge_context``, one ``<span>`` per badge.

    Drawn in Python because lists show it on every row, twice: an inclusion template
    per badge cost about a fifth of a millisecond each (the case list draws 100).
    """
    level, days = context["level"], context["warning_days"]
    prefix = f"{_('PSO')}: " if level == PsoLevel.NONE else ""
    until = ""
    if context["valid_until"]:
        date = formats.date_format(context["valid_until"], "j M Y")
        until = format_html(
            ' <span class="pso-until muted">{}</span>', _("until %(date)s") % {"date": date}
        )
    expiring = ""
    if context["expiring"]:
        title = ngettext("Ends within %(days)s day", "Ends within %(days)s days", days) % {
            "days": days
        }
        expiring = format_html(
            ' <strong class="pso-expiring" title="{}">{}</strong>', title, _("expires soon")
        )
    return format_html(
        '<span class="pso-status"><span class="pso-badge pso-{}">{}{}</span>{}{}</span>',
        level,
        prefix,
        context["label"],
        until,
        expiring,
    )


@register.simple_tag
def pso_badge(status: PsoStatus | None, flag_expiry: bool = True) -> SafeString:
    """The badge of a status record; None shows "none / self-scan"."""
    if status is None:
        return badge_html(badge_context(None, None, flag_expiry=flag_expiry))
    return badge_html(badge_context(status.level, status.valid_until, flag_expiry=flag_expiry))


@register.simple_tag
def pso_badge_level(
    level: str | None, valid_until: dt.date | None = None, flag_expiry: bool = True
) -> SafeString:
    """The badge of a raw level and end date (list annotations, a case's snapshot)."""
    return _badge_remembered(
        level or PsoLevel.NONE,
        valid_until,
        flag_expiry,
        timezone.localdate(),
        get_language(),
        settings.PSO_EXPIRY_WARNING_DAYS,
    )


@lru_cache(maxsize=4096)
def _badge_remembered(
    level: str,
    valid_until: dt.date | None,
    flag_expiry: bool,
    today: dt.date,
    language: str | None,
    warning_days: int,
) -> SafeString:
    """One badge, remembered by everything it is drawn from: its level and end date, the
    day (the expiry flag), the language (label and date) and the warning period. Lists
    draw a badge on every row, twice, and the same few hundred organisations again on
    every view; drawing one (labels, date format, translations) cost more than the row.
    """
    return badge_html(badge_context(level, valid_until, flag_expiry=flag_expiry, today=today))


@register.filter
def pso_expires_soon(valid_until: dt.date | None) -> bool:
    """``{% if org.current_pso_valid_until|pso_expires_soon %}``: ends within the warning period."""
    return expires_soon(valid_until, timezone.localdate(), settings.PSO_EXPIRY_WARNING_DAYS)
