"""Reads of the case page beyond the case itself: its last received mail, linked cases,
the mail that arrived while someone was writing a reply, and the saved filters of the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from cases.models import Case, CasePresence, InboundMessage, OutboundMessage, SavedFilter, Status
from cases.timeline import person_name

#: A case page that has not reported within this long is taken to be closed.
PRESENCE_WINDOW = dt.timedelta(seconds=45)
#: How many linked cases the side panel lists.
LINKED_CASES_SHOWN = 8


def latest_received(case: Case) -> InboundMessage | None:
    """The customer's latest mail on the case (what a reply quotes and threads under)."""
    return (
        InboundMessage.objects.filter(case=case)
        .defer("raw", "html_body")
        .order_by("-received_at", "-pk")
        .first()
    )


def linked_cases(case: Case, *, limit: int = LINKED_CASES_SHOWN) -> list[Case]:
    """Cases that belong with this one, newest first, in two queries.

    Linked are: a case a mail on this case named in its subject (and the other way
    round), and the contact's other open cases, which are often the same question.
    The ids come from one UNION of three indexed look-ups (an OR of them would make
    the database read every case).
    """
    named_here = InboundMessage.objects.filter(case=case, related_case__isnull=False).values_list(
        "related_case"
    )
    naming_this = InboundMessage.objects.filter(related_case=case, case__isnull=False).values_list(
        "case"
    )
    sources = [named_here.order_by(), naming_this.order_by()]
    if case.contact_id is not None:
        sources.append(
            Case.objects.filter(contact_id=case.contact_id, status__in=Status.active())
            .order_by()
            .values_list("pk")
        )
    first, *rest = sources
    ids = {row[0] for row in first.union(*rest)} - {case.pk, None}
    if not ids:
        return []
    return list(
        Case.objects.filter(pk__in=ids)
        .only("reference", "subject", "status", "priority", "created_at")
        .order_by("-created_at")[:limit]
    )


def mail_since(case: Case, since: dt.datetime, *, user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Mail on the case after ``since`` that the user did not write: customer mail and
    colleagues' replies, oldest first (two queries)."""
    received = [
        {
            "kind": "received",
            "at": m.received_at,
            "who": m.from_name or m.from_address,
            "subject": m.subject,
            "text": m.text_body,
        }
        for m in InboundMessage.objects.filter(case=case, received_at__gt=since)
        .defer("raw", "html_body")
        .order_by("received_at", "pk")
    ]
    sent = [
        {
            "kind": "sent",
            "at": m.created_at,
            "who": person_name(m.sent_by),
            "subject": m.subject,
            "text": m.body_text,
        }
        for m in OutboundMessage.objects.filter(case=case, created_at__gt=since, automatic=False)
        .exclude(sent_by=user)
        .select_related("sent_by")
        .order_by("created_at", "pk")
    ]
    return sorted(received + sent, key=lambda item: item["at"])


def others_present(case: Case, user: AbstractBaseUser, now: dt.datetime) -> list[CasePresence]:
    """Who else has the case open now, writers first (one query)."""
    return list(
        CasePresence.objects.filter(case=case, seen_at__gte=now - PRESENCE_WINDOW)
        .exclude(user=user)
        .select_related("user")
        .order_by("-writing", "user__first_name", "user__username")
    )


def saved_filters_for(user: AbstractBaseUser) -> QuerySet[SavedFilter]:
    """The case-list filters ``user`` can choose: their own and those a manager shared."""
    return SavedFilter.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")
