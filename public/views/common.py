"""What every public page shares: no sign-in, the frame rule of its variant, the refusals."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import NONE
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

#: The URL namespace of the variant made to be shown in a frame on the PSO website.
EMBED_NAMESPACE = "public_embed"


def is_embedded(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.namespace == EMBED_NAMESPACE


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Open to anyone; the embeddable variant may be framed by ``PUBLIC_FRAME_ANCESTORS`` only.

    Only ``frame-ancestors`` changes (and X-Frame-Options is left out, which the
    CSP rule replaces in every current browser): the rest of the policy is the
    staff pages' own. The ordinary public pages and all staff pages keep DENY.
    """

    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if is_embedded(request) and settings.PUBLIC_FRAME_ANCESTORS:
            response._csp_replace = {  # type: ignore[attr-defined]
                "frame-ancestors": list(settings.PUBLIC_FRAME_ANCESTORS)
            }
            response.xframe_options_exempt = True  # type: ignore[attr-defined]
        elif is_embedded(request):
            response._csp_replace = {"frame-ancestors": [NONE]}  # type: ignore[attr-defined]
        return response

    return wrapper


def render_public(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**context, "embedded": is_embedded(request)}
    return render(request, template, context, status=status)


def refused(request: HttpRequest, status: int = 429) -> HttpResponse:
    """Too many posts from here (or for this address): one page, the same for each reason."""
    return render_public(request, "public/refused.html", {}, status=status)


def page_closed(request: HttpRequest) -> HttpResponse:
    return render_public(request, "public/closed.html", {}, status=404)
