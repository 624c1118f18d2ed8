"""Merging a case into another, and undoing a merge made by mistake.

Rules (as the helpdesks staff know do it: Zendesk, Zammad):

- The **survivor** (``target``) keeps its reference, subject and fields. The merged case
  (``source``) is closed, points to the survivor (``Case.merged_into``) and stays findable
  by its reference; its own description and change history stay with it (the survivor's
  timeline shows its subject and description at the merge: ``cases.timeline``).
- The merged case's **calls, notes and mail** (both directions) move to the survivor, so
  its timeline holds the whole conversation, and a later reply to any of the moved mail
  threads to the survivor by its headers; a reply naming the merged reference in the
  subject is followed to the survivor too (``cases.intake.threading``).
- **The first-answer figures** are those of the question asked first: when the merged
  case was opened earlier, the survivor takes over its clock (target, due time, first
  answer, how late), so merging cannot hide a late answer. Reports leave merged cases
  out, so a merged pair counts once.
- **Who may merge**: any staff member, for cases of one organisation (or when either
  has none); cases of two different organisations only a manager. Never a case into
  itself, a merged case, into a merged case, or into a closed one.
- **Undo** is for managers, once per merge: exactly the rows that moved go back, and
  both cases get back what the merge changed. What was added to the survivor since stays.
- Both timelines say who merged what and when (``CaseChange`` rows ``merged_into`` on the
  merged case, ``merged_from`` on the survivor).

Moving what other apps keep on a case (callbacks) is done by the caller above, in the
same transaction, recording its rows in ``CaseMerge.moved`` too
(``scheduling.callbacks.merging``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cases.first_answer import clock
from cases.models import (
    Case,
    CaseChange,
    CaseMerge,
    InboundMessage,
    Note,
    OutboundMessage,
    PhoneCall,
    Status,
)
from cases.services.cases import case_update
from staff.roles import is_manager

#: What moves from the merged case to the survivor, by the name kept in ``CaseMerge.moved``.
MOVED_ROWS = {
    "calls": PhoneCall,
    "notes": Note,
    "inbound": InboundMessage,
    "outbound": OutboundMessage,
}

#: The survivor's first-answer clock, taken from the merged case when that was opened first.
CLOCK_FIELDS = (
    "sla_target",
    "due_at",
    "sla_paused_since",
    "sla_paused_total",
    "first_response_at",
    "response_time",
    "late_by",
)


class MergeRefused(Exception):
    """The merge (or its undoing) is not allowed; the message says why, in plain words."""


def merge_refusal(*, source: Case, target: Case, actor: AbstractBaseUser) -> str | None:
    """Why ``source`` may not be merged into ``target`` by ``actor`` (None: it may)."""
    if source.pk == target.pk:
        return _("A case cannot be merged into itself.")
    if source.merged_into_id is not None:
        return _("%(reference)s has already been merged into another case.") % {
            "reference": source.reference
        }
    if target.merged_into_id is not None:
        return _("%(reference)s has been merged into another case itself; choose that one.") % {
            "reference": target.reference
        }
    if target.status == Status.CLOSED:
        return _("%(reference)s is closed; reopen it first or merge the other way round.") % {
            "reference": target.reference
        }
    both = source.organisation_id is not None and target.organisation_id is not None
    if both and source.organisation_id != target.organisation_id and not is_manager(actor):
        return _("Only a manager may merge cases of two different organisations.")
    return None


_DATETIMES = ("due_at", "sla_paused_since", "first_response_at", "resolved_at")
_DURATIONS = ("sla_target", "sla_paused_total", "response_time", "late_by")


def _raw(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def _value(field: str, raw: Any) -> Any:
    if raw is None:
        return None
    if field in _DATETIMES:
        return parse_datetime(raw)
    if field in _DURATIONS:
        return dt.timedelta(seconds=raw)
    return raw


def _locked(*cases: Case) -> dict[int, Case]:
    """Both cases, locked in primary-key order (two merges at once never deadlock)."""
    rows = Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]).order_by("pk")
    return {row.pk: row for row in rows}


def _trail(
    case: Case, actor: AbstractBaseUser | None, at: dt.datetime, field: str, old: str, new: str
) -> None:
    CaseChange.objects.create(
        case=case, actor=actor, at=at, field=field, old_value=old, new_value=new
    )


@transaction.atomic
def case_merge(
    *, source: Case, target: Case, actor: AbstractBaseUser, at: dt.datetime | None = None
) -> CaseMerge:
    """Merge ``source`` into ``target`` by the rules above; raises ``MergeRefused``."""
    at = at or timezone.now()
    locked = _locked(source, target)
    source, target = locked[source.pk], locked[target.pk]
    refusal = merge_refusal(source=source, target=target, actor=actor)
    if refusal:
        raise MergeRefused(refusal)

    moved: dict[str, list[int]] = {}
    for name, model in MOVED_ROWS.items():
        ids = list(model.objects.filter(case=source).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(case=target)
        moved[name] = ids

    before = {
        "source": {"status": source.status, "resolved_at": _raw(source.resolved_at)},
        "target": {f: _raw(getattr(target, f)) for f in CLOCK_FIELDS},
    }
    if source.created_at < target.created_at:
        for f in CLOCK_FIELDS:
            setattr(target, f, getattr(source, f))
        # The clock taken over runs or stands still as the survivor's status says.
        if target.status == Status.WAITING:
            clock.case_paused(target, at)
        else:
            clock.case_resumed(target, at)
    target.version = F("version") + 1
    target.save()

    _trail(source, actor, at, "merged_into", "", str(target.pk))
    _trail(target, actor, at, "merged_from", "", str(source.pk))
    if source.status != Status.CLOSED:
        case_update(case=source, actor=actor, at=at, status=Status.CLOSED)
    Case.objects.filter(pk=source.pk).update(merged_into=target)
    return CaseMerge.objects.create(
        source=source, target=target, merged_by=actor, merged_at=at, moved=moved, before=before
    )


@transaction.atomic
def case_merge_undo(
    *, merge: CaseMerge, actor: AbstractBaseUser, at: dt.datetime | None = None
) -> CaseMerge:
    """Undo ``merge`` (managers only, once): the moved rows go back, both cases as before."""
    at = at or timezone.now()
    if not is_manager(actor):
        raise MergeRefused(_("Only a manager may undo a merge."))
    merge = CaseMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeRefused(_("This merge has already been undone."))
    locked = _locked(merge.source, merge.target)
    source, target = locked[merge.source_id], locked[merge.target_id]

    for name, model in MOVED_ROWS.items():
        # Only what moved, and only while it is still on the survivor.
        model.objects.filter(pk__in=merge.moved.get(name, []), case=target).update(case=source)
    for f, raw in merge.before.get("target", {}).items():
        setattr(target, f, _value(f, raw))
    target.version = F("version") + 1
    target.save()

    Case.objects.filter(pk=source.pk).update(merged_into=None)
    source.merged_into = None
    _trail(source, actor, at, "merged_into", str(target.pk), "")
    _trail(target, actor, at, "merged_from", str(source.pk), "")
    old = merge.before.get("source", {})
    if old.get("status") and old["status"] != source.status:
        case_update(case=source, actor=actor, at=at, status=old["status"])
        Case.objects.filter(pk=source.pk).update(
            resolved_at=_value("resolved_at", old.get("resolved_at"))
        )

    merge.undone_by = actor
    merge.undone_at = at
    merge.save(update_fields=["undone_by", "undone_at"])
    return merge
