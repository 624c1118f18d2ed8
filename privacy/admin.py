"""The privacy records in the administration: read-only for everyone, superusers included.

The access log is append-only, and the records of runs and requests are proof of
what was done: nobody adds, changes or deletes them here.
"""

from __future__ import annotations

from django.contrib import admin

from privacy.models import AccessEntry, PersonRequest, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessEntry)
class AccessEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "kind", "case_reference", "object_id", "ip"]
    list_filter = ["kind"]
    search_fields = ["username", "case_reference"]
    date_hierarchy = "at"


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "dry_run"]


@admin.register(PersonRequest)
class PersonRequestAdmin(ReadOnlyAdmin):
    list_display = ["handled_at", "handled_by", "kind", "records"]
