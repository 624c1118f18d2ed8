"""The case list's free text: which cases a word names, without reading every case."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from cases.models import Case, Contact, Organisation


def _text_matches(text: str) -> list[Q]:
    """The three ways a case can match ``text``, each answered by one table's indexes."""
    organisations = Organisation.objects.filter(name__icontains=text).order_by().values("pk")
    contacts = (
        Contact.objects.filter(Q(name__icontains=text) | Q(email__icontains=text))
        .order_by()
        .values("pk")
    )
    return [
        Q(reference__icontains=text) | Q(subject__icontains=text) | Q(description__icontains=text),
        Q(organisation__in=organisations),
        Q(contact__in=contacts),
    ]


def _words(text: str) -> str:
    return " ".join((text or "").split())


def cases_matching_text(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The cases of ``queryset`` whose reference, subject, description, organisation
    name, contact name or contact email contains ``text`` (any case, runs of spaces
    read as one). An empty text matches every case.

    The match is the union of three look-ups (the case's own text, its organisation,
    its contact), each on one table's trigram indexes on PostgreSQL; one OR over the
    joined tables would make the database read every case.
    """
    text = _words(text)
    if not text:
        return queryset
    parts = [Case.objects.filter(m).order_by().values("pk") for m in _text_matches(text)]
    return queryset.filter(pk__in=parts[0].union(*parts[1:]))


def text_matches_first(
    queryset: QuerySet[Case], text: str, *, reach: int, ordered: bool
) -> QuerySet[Any]:
    """At least the first ``reach`` cases of ``cases_matching_text(queryset, text)``.

    Each of the three look-ups brings at most ``reach`` cases of ``queryset`` (its
    filters applied): ``ordered``, its first ``reach`` in the list's order (the first
    ``reach`` of the union are then exactly the first ``reach`` of the whole match,
    and this is ``queryset`` narrowed to them, for picking a page); unordered, any
    ``reach`` (the union's ids, for a count: a look-up that finds fewer is complete,
    so the union holds ``reach`` ids exactly when the whole match does). A word that
    names 40,000 cases then costs three short index walks instead of collecting
    40,000 ids. Needs a database that orders and limits inside a union (PostgreSQL);
    elsewhere it is ``cases_matching_text``.
    """
    text = _words(text)
    if not text or not connection.features.supports_slicing_ordering_in_compound:
        return cases_matching_text(queryset, text)
    order = (queryset.query.order_by or Case._meta.ordering) if ordered else ()
    parts = [queryset.filter(m).order_by(*order).values("pk")[:reach] for m in _text_matches(text)]
    union = parts[0].union(*parts[1:])
    return queryset.filter(pk__in=union) if ordered else union
