"""The header search: one box over cases, contacts and organisations, best match first.

A query is tried as everything it could be at once: a case reference, a phone
number in any Dutch notation, a KvK number, a name or email address, and words
written on a case (subject, description, notes, mail both ways; see
``cases.search.fulltext``). A fixed number of queries, whatever is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from cases.models import Case, Contact, Organisation
from cases.search.fulltext import case_text_matches
from cases.selectors import caller_search, cases_with_current_pso

#: How many results of each group the search shows.
SEARCH_LIMIT = 20
#: Shorter queries are not searched (every case would match).
SEARCH_MIN_LENGTH = 2

#: A case reference as the helpdesk writes them: ``PSO-2026-000123``.
WHOLE_REFERENCE = re.compile(r"[A-Za-z]+-\d{4}-\d+")
#: What can be part of a reference: letters, digits and dashes, with a digit among them
#: ("2026-0001", "0001"). A word or a number written with spaces cannot, and is not
#: looked for in every reference (a trigram scan of 200,000 for nothing).
PART_OF_REFERENCE = re.compile(r"[A-Za-z-]*\d[A-Za-z\d-]*")

#: How a case was found, best first: the order of the results.
REFERENCE, CALLER, TEXT = 3, 2, 1


@dataclass
class SearchResults:
    query: str
    cases: list[Case] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.contacts) + len(self.organisations)


def site_search(query: str, *, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Everything that matches ``query``, grouped, the best match of each group first.

    Cases come in this order: the reference itself; then cases of the contacts and
    organisations the query names (by phone, KvK, name, email), newest first; then
    cases whose texts match, by relevance.
    """
    text = " ".join((query or "").split())
    if len(text) < SEARCH_MIN_LENGTH:
        return SearchResults(query=text)
    callers = caller_search(text, limit=limit)
    rank: dict[int, tuple[int, float]] = {}

    # A whole reference is found by its unique index; part of one ("2024-0012") by the
    # trigram index. Only the part needs the newest first (the order made a whole
    # reference walk every case by date until it came to the one).
    whole = (
        list(Case.objects.filter(reference=text.upper()).values_list("pk", flat=True))
        if WHOLE_REFERENCE.fullmatch(text)
        else []
    )
    by_reference = whole or (
        Case.objects.filter(reference__icontains=text).values_list("pk", flat=True)[:limit]
        if PART_OF_REFERENCE.fullmatch(text)
        else []
    )
    for pk in by_reference:
        rank[pk] = (REFERENCE, 0.0)
    contact_ids = [c.pk for c in callers.contacts]
    organisation_ids = [o.pk for o in callers.organisations]
    if contact_ids or organisation_ids:
        of_callers = (
            Case.objects.filter(
                Q(contact_id__in=contact_ids) | Q(organisation_id__in=organisation_ids)
            )
            .order_by("-created_at")
            .values_list("pk", "created_at")[:limit]
        )
        for pk, created in of_callers:
            rank.setdefault(pk, (CALLER, created.timestamp()))
    for pk, score in case_text_matches(text, limit=limit):
        rank.setdefault(pk, (TEXT, score))

    best = sorted(rank, key=lambda pk: rank[pk], reverse=True)[:limit]
    found = {
        case.pk: case
        for case in cases_with_current_pso(
            Case.objects.filter(pk__in=best).select_related("organisation", "contact")
        )
    }
    return SearchResults(
        query=text,
        cases=[found[pk] for pk in best if pk in found],
        contacts=callers.contacts,
        organisations=callers.organisations,
    )
