"""The search page behind the header's search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.search.site import SEARCH_MIN_LENGTH, site_search

#: Longer queries are cut: nobody types more, and the database need not read it.
QUERY_MAX_CHARS = 200


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Cases, contacts and organisations matching ``?q=``, grouped, best first."""
    query = request.GET.get("q", "")[:QUERY_MAX_CHARS].replace("\x00", "")
    results = site_search(query)
    return render(
        request,
        "cases/search.html",
        {"results": results, "search_query": results.query, "min_length": SEARCH_MIN_LENGTH},
    )
