"""The rows of the case lists (the case list, the dashboard) with their PSO status today.

A list row shows the organisation's PSO status in force today. Annotating it in SQL
(``cases.selectors.current_pso_annotations``: a ``CASE`` over the kept level with a
subquery on the history for stale organisations) made every clone of the list's
querysets carry and compile two ``Case``/``When`` expressions with subqueries. The
kept level (``Organisation.pso_level_now``, see ``cases.pso_now``) is already in the
row, through the join with the organisation the row needs anyway; so it is read
there, and the history only for the organisations among the rows whose kept level
does not hold today (one query, none when every kept level holds, as after the daily
roll-over). The answer is the same either way (``tests/cases/test_pso_now.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Organisation, PsoStatus


def case_rows() -> QuerySet[Case]:
    """Cases with what every list row shows, joined in the same query; pass the fetched
    rows through ``with_current_pso`` for their organisation's PSO status today."""
    return Case.objects.select_related("organisation", "contact", "assignee", "category")


def kept_pso_holds(organisation: Organisation, day: dt.date) -> bool:
    """Whether the organisation's kept status is the answer on ``day``: ``day`` lies in
    its stretch ``pso_now_since``…``pso_now_through`` (the rule of
    ``cases.selectors.pso_now_holds``, for a row already fetched)."""
    since, through = organisation.pso_now_since, organisation.pso_now_through
    return since is not None and since <= day and (through is None or day <= through)


def with_current_pso(cases: Iterable[Case], *, today: dt.date | None = None) -> list[Case]:
    """The cases, each with ``current_pso_level`` and ``current_pso_valid_until`` of its
    organisation on ``today`` (both None without an organisation or a status in force):
    the kept status where it holds, else the record in force from the history."""
    today = today or timezone.localdate()
    rows = list(cases)
    stale: dict[int, list[Case]] = {}
    for case in rows:
        case.current_pso_level = case.current_pso_valid_until = None
        organisation = case.organisation
        if organisation is None:
            continue
        if kept_pso_holds(organisation, today):
            case.current_pso_level = organisation.pso_level_now
            case.current_pso_valid_until = organisation.pso_valid_until_now
        else:
            stale.setdefault(organisation.pk, []).append(case)
    if stale:
        in_force: dict[int, PsoStatus] = {}
        statuses = PsoStatus.objects.in_force_on(today).filter(organisation_id__in=stale)
        for status in statuses.only("organisation", "level", "valid_until"):
            in_force.setdefault(status.organisation_id, status)  # the most recent first
        for organisation_id, status in in_force.items():
            for case in stale[organisation_id]:
                case.current_pso_level = status.level
                case.current_pso_valid_until = status.valid_until
    return rows
