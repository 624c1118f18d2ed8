"""Merges of cases and saved filters: merges are a record (view only; undo is on the case
page), saved filters belong to their owners (managers may look and remove)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cases.admin.read_only import ReadOnlyAdminMixin
from cases.models import CaseMerge, SavedFilter


@admin.register(CaseMerge)
class CaseMergeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who merged which case into which, and whether it was undone."""

    list_display = ["source", "target", "merged_by", "merged_at", "undone_at"]
    list_select_related = ["source", "target", "merged_by"]
    search_fields = ["source__reference", "target__reference"]
    date_hierarchy = "merged_at"


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    """Case-list filters saved by staff; changed by their owners on the case list."""

    list_display = ["name", "owner", "shared", "query"]
    list_filter = ["shared"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["owner", "query", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
