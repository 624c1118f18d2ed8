"""Saved filters of the case list: save the filters on screen under a name, remove one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors_workspace, services
from cases.filters import FILTER_NAMES
from cases.forms_lists import SavedFilterForm
from cases.models import SavedFilter
from staff.roles import is_manager


@require_POST
def case_filter_save(request: HttpRequest) -> HttpResponse:
    """Save the case list's current filters (sent as ``query``) under a name."""
    form = SavedFilterForm(request.POST)
    query = services.saved_filter_query(
        QueryDict(request.POST.get("query", "")[:2000]), FILTER_NAMES
    )
    back = f"{reverse('case_list')}?{query}" if query else reverse("case_list")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    shared = form.cleaned_data["shared"] and is_manager(request.user)
    saved = services.saved_filter_save(
        owner=request.user, name=form.cleaned_data["name"], query=query, shared=shared
    )
    messages.success(request, _("Filters saved as “%(name)s”.") % {"name": saved.name})
    return redirect(back)


@require_POST
def case_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of one's own saved filters."""
    saved = get_object_or_404(SavedFilter, pk=pk)
    try:
        services.saved_filter_delete(saved_filter=saved, actor=request.user)
    except PermissionDenied:
        messages.error(request, _("Only the person who saved a filter can remove it."))
    else:
        messages.success(request, _("Saved filter “%(name)s” removed.") % {"name": saved.name})
    back = request.POST.get("next", "")
    return redirect(back if back in (reverse("case_list"), reverse("profile")) else "case_list")


def saved_filter_links(request: HttpRequest) -> list[dict[str, object]]:
    """The saved filters to show above the case list: own and shared, each with its
    address and whether it is the filter on screen."""
    current = services.saved_filter_query(request.GET, FILTER_NAMES)
    return [
        {
            "filter": saved,
            "url": f"{reverse('case_list')}?{saved.query}",
            "current": bool(current) and saved.query == current,
            "own": saved.owner_id == request.user.pk,
        }
        for saved in selectors_workspace.saved_filters_for(request.user)
    ]
