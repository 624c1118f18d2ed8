"""Administration of telephony: staff extensions, blocked numbers, and the calls received."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm

from cases.phones import normalise
from telephony.models import BlockedNumber, Call, Extension


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["number", "user"]
    search_fields = ["number", "user__username", "user__first_name", "user__last_name"]


class BlockedNumberForm(ModelForm):
    class Meta:
        model = BlockedNumber
        fields = ["number", "note"]

    def clean_number(self) -> str:
        return normalise(self.cleaned_data["number"])


@admin.register(BlockedNumber)
class BlockedNumberAdmin(admin.ModelAdmin):
    """Calls from these numbers are answered with Zammad's ``reject`` (any notation works)."""

    form = BlockedNumberForm
    list_display = ["number", "note"]
    search_fields = ["number", "note"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Calls as the phone system told them: looked up here, never edited."""

    list_display = ["started_at", "direction", "number", "answered_by", "cause", "missed"]
    list_filter = ["direction", "missed", "system"]
    date_hierarchy = "started_at"
    search_fields = ["call_id", "number"]
    list_select_related = ["answered_by"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
