"""Cases and their timelines: a case changes only through the services, so always with a trace.

The case form saves through ``services.case_open``/``services.case_update`` (so
every change of a tracked field lands in the case's timeline), fields that are
not tracked are read-only, and calls, notes, the change trail and the reference
counter cannot be edited or deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cases import services
from cases.admin.read_only import ReadOnlyAdminMixin
from cases.models import Case, CaseChange, CaseCounter, Note, PhoneCall
from staff.roles import staff_members


class PhoneCallInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PhoneCall
    fields = ["started_at", "direction", "number", "outcome", "inside_phone_hours", "logged_by"]
    readonly_fields = fields
    extra = 0


class NoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Note
    fields = ["created_at", "author", "body"]
    readonly_fields = fields
    extra = 0


class CaseChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseChange
    fields = ["at", "actor", "field", "old_value", "new_value"]
    readonly_fields = fields
    extra = 0


#: What a new case is opened with in the admin (everything else follows from case_open).
CASE_ADD_FIELDS = [
    "subject",
    "description",
    "channel",
    "category",
    "priority",
    "organisation",
    "contact",
    "assignee",
]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "subject",
        "organisation",
        "status",
        "priority",
        "channel",
        "assignee",
        "created_at",
    ]
    list_filter = [
        "status",
        "priority",
        "channel",
        "category",
        "pso_level_at_open",
        ("assignee", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "reference",
        "subject",
        "organisation__name",
        "organisation__kvk_number",
        "contact__name",
        "contact__email",
    ]
    date_hierarchy = "created_at"
    autocomplete_fields = ["organisation", "contact", "category"]
    list_select_related = ["organisation", "assignee", "category"]
    inlines = [PhoneCallInline, NoteInline, CaseChangeInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a case is closed, never deleted

    def get_fields(self, request: HttpRequest, obj: Case | None = None) -> list[str]:
        if obj is None:
            return CASE_ADD_FIELDS
        return ["reference", *services.TRACKED_FIELDS, *self._untracked_fields()]

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None) -> list[str]:
        if obj is None:
            return []
        return ["reference", *self._untracked_fields()]

    @staticmethod
    def _untracked_fields() -> list[str]:
        return [
            f.name
            for f in Case._meta.concrete_fields
            if f.name not in ("id", "reference") and f.name not in services.TRACKED_FIELDS
        ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "assignee":
            # People who work cases: a short list, and managers need no user permissions for it.
            kwargs["queryset"] = staff_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            saved = services.case_open(
                actor=request.user, **{name: data.get(name) for name in CASE_ADD_FIELDS}
            )
        else:
            saved = Case.objects.get(pk=obj.pk)
            changes = {
                name: data[name] for name in services.TRACKED_FIELDS if name in form.changed_data
            }
            if changes:
                services.case_update(case=saved, actor=request.user, **changes)
        # The admin goes on with ``obj`` (messages, inlines): make it the saved case.
        for field in Case._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db


@admin.register(PhoneCall)
class PhoneCallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["started_at", "case", "direction", "number", "outcome", "inside_phone_hours"]
    list_filter = ["direction", "outcome", "inside_phone_hours"]
    search_fields = ["case__reference", "number", "notes"]
    date_hierarchy = "started_at"
    list_select_related = ["case"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "case", "author", "body"]
    search_fields = ["case__reference", "body"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "author"]


@admin.register(CaseChange)
class CaseChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "case", "field", "old_value", "new_value", "actor"]
    list_filter = ["field"]
    search_fields = ["case__reference", "old_value", "new_value"]
    date_hierarchy = "at"
    list_select_related = ["case", "actor"]


@admin.register(CaseCounter)
class CaseCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "last"]
