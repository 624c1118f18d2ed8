"""Reads of the case page beyond the case itself: its last received mail and linked cases."""

from __future__ import annotations

from django.db.models import Q

from cases.models import Case, InboundMessage, Status

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
    """Cases that belong with this one, newest first, in one query.

    Linked are: a case a mail on this case named in its subject (and the other way
    round), and the contact's other open cases, which are often the same question.
    """
    named_here = InboundMessage.objects.filter(case=case, related_case__isnull=False).values(
        "related_case"
    )
    naming_this = InboundMessage.objects.filter(related_case=case, case__isnull=False).values(
        "case"
    )
    linked = Q(pk__in=named_here) | Q(pk__in=naming_this)
    if case.contact_id is not None:
        linked |= Q(contact_id=case.contact_id, status__in=Status.active())
    return list(
        Case.objects.filter(linked)
        .exclude(pk=case.pk)
        .only("reference", "subject", "status", "priority", "created_at")
        .order_by("-created_at")[:limit]
    )
