"""Administration of scheduling: callbacks, their capacity and the target warnings sent."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from scheduling.models import Callback, CallbackDateCapacity, CallbackWeekdayCapacity, SlaWarning
from staff.roles import is_manager


@admin.register(CallbackWeekdayCapacity)
class CallbackWeekdayCapacityAdmin(admin.ModelAdmin):
    list_display = ["weekday", "capacity"]
    ordering = ["weekday"]


@admin.register(CallbackDateCapacity)
class CallbackDateCapacityAdmin(admin.ModelAdmin):
    list_display = ["date", "capacity", "note"]
    date_hierarchy = "date"


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    """Callbacks are booked and worked through the helpdesk's own pages (which keep capacity
    and claims right); here they are looked up, and only their notes can be corrected."""

    list_display = ["slot_start", "number", "case", "state", "attempts", "claimed_by"]
    list_filter = ["state"]
    date_hierarchy = "slot_start"
    search_fields = ["number", "case__reference", "case__subject"]
    list_select_related = ["case", "claimed_by"]
    readonly_fields = [
        "case",
        "number",
        "slot_start",
        "slot_minutes",
        "attempts",
        "state",
        "claimed_by",
        "claimed_at",
        "requested_by_caller",
        "requested_at",
        "created_at",
        "created_by",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False


# --- The first-answer target (scheduling.sla) ----------------------------------------------------


@admin.register(SlaWarning)
class SlaWarningAdmin(admin.ModelAdmin):
    """The warnings mailed about first-answer targets: a record, never edited (managers)."""

    list_display = ["sent_at", "case", "kind", "due_at"]
    list_filter = ["kind"]
    date_hierarchy = "sent_at"
    search_fields = ["case__reference", "recipients"]
    list_select_related = ["case"]
    readonly_fields = ["case", "kind", "due_at", "sent_at", "recipients"]

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return is_manager(request.user)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
