"""The search page behind the header's search box, and the drop-down that box shows
while someone types."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.search.site import SEARCH_MIN_LENGTH, site_search

#: Longer queries are cut: nobody types more, and the database need not read it.
QUERY_MAX_CHARS = 200
#: The drop-down shows at most this many results of each group (cases, contacts,
#: organisations): the best few, with a link to the search page for the rest.
SUGGEST_LIMIT = 5


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:QUERY_MAX_CHARS].replace("\x00", "")


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Cases, contacts and organisations matching ``?q=``, grouped, best first."""
    results = site_search(_query(request))
    return render(
        request,
        "cases/search.html",
        {"results": results, "search_query": results.query, "min_length": SEARCH_MIN_LENGTH},
    )


@require_GET
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The header search's drop-down: the best few of each group for ``?q=``.

    The same search as the page, capped at ``SUGGEST_LIMIT`` per group, so it costs the
    page's fixed number of queries; the box asks for it after a pause in typing.
    """
    results = site_search(_query(request), limit=SUGGEST_LIMIT)
    return render(
        request,
        "cases/_search_suggest.html",
        {"results": results, "min_length": SEARCH_MIN_LENGTH},
    )
