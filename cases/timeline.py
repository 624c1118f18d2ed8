"""The timeline of a case: its calls, internal notes and changes in time order.

Changes are stored as field names and raw values (see ``cases.models.timeline``);
here they are turned into what people read — the field's translated name and
the label of each value (a status label, a category's name, a person's name) —
resolving every referenced row in one query per kind, so a long timeline costs
no more queries than a short one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseChange,
    Category,
    ChangeCause,
    Contact,
    InboundMessage,
    MailAttachment,
    Note,
    Organisation,
    OutboundAttachment,
    OutboundMessage,
    PhoneCall,
    Priority,
    Status,
)

#: Fields whose raw value is the primary key of another row.
_RELATED_MODELS: dict[str, type[models.Model]] = {
    "category": Category,
    "organisation": Organisation,
    "contact": Contact,
    # A merge, on both cases' timelines (see cases.services.merge).
    "merged_into": Case,
    "merged_from": Case,
}
#: The merge fields: their values are cases, shown as links.
MERGE_FIELDS = ("merged_into", "merged_from")
#: Fields whose raw value is a choice.
_CHOICES: dict[str, type[models.TextChoices]] = {"status": Status, "priority": Priority}

#: When a call, a note and a change share a moment (answering a new case opens
#: it), the call comes first: it is what caused the change.
_KIND_ORDER = {"call": 0, "mail_in": 0, "mail_out": 0, "note": 1, "change": 2}


def person_name(user: AbstractBaseUser | None) -> str:
    """How a colleague is named on screen."""
    if user is None:
        return _("someone (account removed)")
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class ChangeLine:
    """One changed field, ready to read: ``label: old → new``."""

    field: str
    label: str
    old: str
    new: str
    #: For a merge: the reference of the other case (a link on the page), and whether
    #: the merge still stands (a manager may undo it from the survivor's timeline).
    reference: str = ""
    merge_stands: bool = False
    #: On the survivor's timeline, what the customer asked in the merged case (its subject
    #: and description), so nothing of it is lost from the case people work on.
    merged_subject: str = ""
    merged_description: str = ""


@dataclass
class TimelineEntry:
    kind: str
    at: dt.datetime
    actor: AbstractBaseUser | None
    cause: str = ""
    call: PhoneCall | None = None
    note: Note | None = None
    changes: list[ChangeLine] = field(default_factory=list)
    inbound: InboundMessage | None = None
    outbound: OutboundMessage | None = None

    @property
    def actor_name(self) -> str:
        if self.inbound is not None:
            return self.inbound.from_name or self.inbound.from_address or _("unknown sender")
        if self.outbound is not None and self.outbound.sent_by is None:
            return _("the helpdesk (automatic)")
        if self.cause:
            # What changed the case when no person did, or why the person's change was made.
            cause = str(ChangeCause(self.cause).label)
            return cause if self.actor is None else f"{person_name(self.actor)} ({cause})"
        return person_name(self.actor)

    @property
    def call_minutes(self) -> int:
        """A call's length in whole minutes (0 for anything else)."""
        if self.call is None:
            return 0
        return round(self.call.duration.total_seconds() / 60)


def field_label(name: str) -> str:
    if name == "merged_from":
        return _("merged in from")
    try:
        return str(Case._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists keeps its stored name
        return name


class ValueLabels:
    """Labels for the raw values of a set of changes, fetched in one query per model."""

    def __init__(self, changes: Iterable[CaseChange]) -> None:
        wanted: dict[str, set[int]] = {}
        #: The cases named by merge changes, by primary key.
        self.cases: dict[int, Case] = {}
        for change in changes:
            if change.field in _RELATED_MODELS or change.field == "assignee":
                for raw in (change.old_value, change.new_value):
                    if raw.isdigit():
                        wanted.setdefault(change.field, set()).add(int(raw))
        self._names: dict[str, dict[int, str]] = {}
        for name, pks in wanted.items():
            if name == "assignee":
                users = get_user_model().objects.filter(pk__in=pks)
                self._names[name] = {u.pk: person_name(u) for u in users}
            else:
                model = _RELATED_MODELS[name]
                rows = list(model.objects.filter(pk__in=pks))
                self._names[name] = {o.pk: str(o) for o in rows}
                if name in MERGE_FIELDS:
                    self.cases.update({o.pk: o for o in rows})

    def label(self, name: str, raw: str) -> str:
        if raw == "":
            if name == "assignee":
                return _("nobody")
            return "—"
        if name in _CHOICES:
            try:
                return str(_CHOICES[name](raw).label)
            except ValueError:
                return raw
        if name in self._names or name in _RELATED_MODELS or name == "assignee":
            known = self._names.get(name, {})
            if raw.isdigit() and int(raw) in known:
                return known[int(raw)]
            return _("#%(id)s (removed)") % {"id": raw}
        return raw


def describe_changes(changes: list[CaseChange]) -> list[ChangeLine]:
    """Readable lines for changes (field label, old and new value labels)."""
    labels = ValueLabels(changes)
    return [
        ChangeLine(
            field=c.field,
            label=field_label(c.field),
            old=labels.label(c.field, c.old_value),
            new=labels.label(c.field, c.new_value),
            **_merge_link(c, labels),
        )
        for c in changes
    ]


def _merge_link(change: CaseChange, labels: ValueLabels) -> dict[str, Any]:
    """The other case of a merge change, and whether that merge still stands."""
    if change.field not in MERGE_FIELDS:
        return {}
    raw = change.new_value or change.old_value
    other = labels.cases.get(int(raw)) if raw.isdigit() else None
    if other is None:
        return {}
    stands = bool(change.new_value) and (
        other.merged_into_id == change.case_id
        if change.field == "merged_from"
        else change.case.merged_into_id == other.pk
    )
    link: dict[str, Any] = {"reference": other.reference, "merge_stands": stands}
    if change.field == "merged_from" and stands:
        link.update(merged_subject=other.subject, merged_description=other.description)
    return link


#: How many moments the case page shows at first; earlier ones load on request.
TIMELINE_WINDOW = 30


@dataclass
class TimelinePage:
    """The latest moments of a timeline before a point, oldest first.

    ``earlier_before`` is where the next, earlier page starts (None: nothing earlier).
    """

    entries: list[TimelineEntry]
    earlier_before: dt.datetime | None


def _moments(case: Case, before: dt.datetime | None) -> models.QuerySet:
    """Every distinct moment on the case's timeline (one UNION query), latest first."""
    sources: list[models.QuerySet] = [
        case.calls.annotate(at=models.F("started_at")).values_list("at"),
        case.notes.annotate(at=models.F("created_at")).values_list("at"),
        case.changes.values_list("at"),
        case.inbound_messages.annotate(at=models.F("received_at")).values_list("at"),
        case.outbound_messages.annotate(at=models.F("created_at")).values_list("at"),
    ]
    if before is not None:
        sources = [source.filter(at__lt=before) for source in sources]
    # Each part without its model's default order: SQL allows one ORDER BY, on the whole.
    first, *rest = (source.order_by() for source in sources)
    return first.union(*rest).order_by("-at")


def case_timeline_page(
    case: Case, *, before: dt.datetime | None = None, size: int = TIMELINE_WINDOW
) -> TimelinePage:
    """The ``size`` latest moments before ``before`` (default: now), oldest first.

    Everything at one moment stays together (a form's changes, a call and the change
    it caused), so a page may hold a few more entries than moments. The cost is the
    same for 20 entries or 2,000: one query for the moments, then one per kind of
    entry, limited to the window.
    """
    moments = [row[0] for row in _moments(case, before)[: size + 1]]
    if not moments:
        return TimelinePage(entries=[], earlier_before=None)
    window = moments[:size]
    since = window[-1]
    earlier = since if len(moments) > size else None
    return TimelinePage(entries=_entries(case, since=since, before=before), earlier_before=earlier)


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Every call, note and change of a case, oldest first.

    Changes one person made at the same moment (one form sent) form one entry.
    Costs three queries plus at most one per kind of referenced row.
    """
    return _entries(case, since=None, before=None)


def _entries(
    case: Case, *, since: dt.datetime | None, before: dt.datetime | None
) -> list[TimelineEntry]:
    """The timeline's entries from ``since`` (inclusive) to ``before`` (exclusive)."""

    def window(queryset: models.QuerySet, name: str) -> models.QuerySet:
        if since is not None:
            queryset = queryset.filter(**{f"{name}__gte": since})
        if before is not None:
            queryset = queryset.filter(**{f"{name}__lt": before})
        return queryset

    calls = list(
        window(case.calls, "started_at").select_related("logged_by").order_by("started_at", "pk")
    )
    notes = list(
        window(case.notes, "created_at").select_related("author").order_by("created_at", "pk")
    )
    changes = list(window(case.changes, "at").select_related("actor").order_by("at", "pk"))

    entries: list[TimelineEntry] = [
        TimelineEntry(kind="call", at=c.started_at, actor=c.logged_by, call=c) for c in calls
    ]
    entries += [TimelineEntry(kind="note", at=n.created_at, actor=n.author, note=n) for n in notes]
    entries += _mail_entries(
        window(case.inbound_messages, "received_at"), window(case.outbound_messages, "created_at")
    )

    lines = describe_changes(changes)
    current: TimelineEntry | None = None
    for change, line in zip(changes, lines, strict=True):
        if (
            current is None
            or current.at != change.at
            or current.actor != change.actor
            or current.cause != change.cause
        ):
            current = TimelineEntry(
                kind="change", at=change.at, actor=change.actor, cause=change.cause
            )
            entries.append(current)
        current.changes.append(line)

    entries.sort(key=lambda e: (e.at, _KIND_ORDER.get(e.kind, _KIND_ORDER["note"])))
    return entries


def _mail_entries(
    received: models.QuerySet[InboundMessage], sent: models.QuerySet[OutboundMessage]
) -> list[TimelineEntry]:
    """Mail received and sent on the case: one query per direction, plus the attachments."""
    received = (
        received.defer("raw")
        .select_related("related_case")
        .prefetch_related(
            models.Prefetch("attachments", queryset=MailAttachment.objects.defer("content"))
        )
        .order_by("received_at", "pk")
    )
    sent = (
        sent.select_related("sent_by")
        .prefetch_related(
            "delivery_events",
            models.Prefetch("attachments", queryset=OutboundAttachment.objects.defer("content")),
        )
        .order_by("created_at", "pk")
    )
    entries = [
        TimelineEntry(kind="mail_in", at=m.received_at, actor=None, inbound=m) for m in received
    ]
    entries += [
        TimelineEntry(kind="mail_out", at=m.created_at, actor=m.sent_by, outbound=m) for m in sent
    ]
    return entries


def conflict_summary(changes: list[CaseChange]) -> list[dict[str, Any]]:
    """What someone else changed, for the message shown when a save is refused."""
    return [
        {"actor": person_name(c.actor), "at": c.at, "line": line}
        for c, line in zip(changes, describe_changes(changes), strict=True)
    ]
