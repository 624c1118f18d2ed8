"""Reusable reads of cases: each returns a QuerySet or plain data, never writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from cases.models import Case, Priority, Status

DASHBOARD_LIMIT = 15


def cases_for_lists() -> QuerySet[Case]:
    """Cases with what every list row shows, fetched in the same query."""
    return Case.objects.select_related("organisation", "contact", "assignee", "category")


def dashboard_lists(user: AbstractBaseUser) -> dict[str, Any]:
    active = cases_for_lists().filter(status__in=Status.active())
    return {
        "my_cases": active.filter(assignee=user).order_by("-priority", "created_at")[
            :DASHBOARD_LIMIT
        ],
        "unassigned_cases": active.filter(assignee__isnull=True).order_by(
            "-priority", "created_at"
        )[:DASHBOARD_LIMIT],
        "urgent_cases": active.filter(priority=Priority.URGENT).order_by("created_at")[
            :DASHBOARD_LIMIT
        ],
    }
