"""Saved filters of the case list: saving one under a name, and removing it.

Rules: a filter belongs to the person who saved it; saving again under a name one
already has replaces it; only a manager may share a filter with all staff, and only
its owner removes it. What is kept is the list's own query string, cut down to the
filters the list reads (``cases.filters.FILTER_NAMES``): no page number, nothing else.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import QueryDict

from cases.models import SavedFilter
from staff.roles import is_manager

#: The longest query string a saved filter keeps.
MAX_QUERY = 1000


def saved_filter_query(params: QueryDict, names: tuple[str, ...]) -> str:
    """The query string of ``params`` with only the filters in ``names``, empty values left out."""
    kept = [(name, value) for name in names for value in params.getlist(name) if value.strip()]
    return urlencode(kept)[:MAX_QUERY]


@transaction.atomic
def saved_filter_save(
    *, owner: AbstractBaseUser, name: str, query: str, shared: bool = False
) -> SavedFilter:
    """Save ``query`` under ``name`` for ``owner`` (replacing their filter of that name)."""
    if shared and not is_manager(owner):
        raise PermissionDenied("Only a manager may share a filter.")
    saved, _created = SavedFilter.objects.update_or_create(
        owner=owner, name=name.strip(), defaults={"query": query[:MAX_QUERY], "shared": shared}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, saved_filter: SavedFilter, actor: AbstractBaseUser) -> None:
    """Remove a saved filter; only its owner may."""
    if saved_filter.owner_id != actor.pk:
        raise PermissionDenied("Only the owner may remove a saved filter.")
    saved_filter.delete()
