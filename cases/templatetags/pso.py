"""Template tags of cases: the PSO status badge shown wherever an organisation is.

``{% pso_badge status %}`` takes a ``PsoStatus`` record (or None: not assessed);
``{% pso_badge_level level valid_until %}`` takes the raw level and end date, as
annotated on list rows (``cases.selectors.cases_with_current_pso``) or kept on a
case as the snapshot of its opening (pass ``flag_expiry=False`` there: a warning
about the end of a status only makes sense for the status in force today).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone

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


@register.inclusion_tag("cases/_pso_badge.html")
def pso_badge(status: PsoStatus | None, flag_expiry: bool = True) -> dict[str, Any]:
    """The badge of a status record; None shows "none / self-scan"."""
    if status is None:
        return badge_context(None, None, flag_expiry=flag_expiry)
    return badge_context(status.level, status.valid_until, flag_expiry=flag_expiry)


@register.inclusion_tag("cases/_pso_badge.html")
def pso_badge_level(
    level: str | None, valid_until: dt.date | None = None, flag_expiry: bool = True
) -> dict[str, Any]:
    """The badge of a raw level and end date (list annotations, a case's snapshot)."""
    return badge_context(level, valid_until, flag_expiry=flag_expiry)


@register.filter
def pso_expires_soon(valid_until: dt.date | None) -> bool:
    """``{% if org.current_pso_valid_until|pso_expires_soon %}``: ends within the warning period."""
    return expires_soon(valid_until, timezone.localdate(), settings.PSO_EXPIRY_WARNING_DAYS)
