"""Privacy in the administration: its records read-only, and no deleting of people's data.

The access log is append-only, and the records of runs and requests are proof of
what was done: nobody adds, changes or deletes them here.

The administrations of contacts, callbacks and the phone system's calls (registered
by their own apps) are taken over here without their delete: deleting a contact in
the administration left their address and words in the mails, calls and cases
(cases, calls, notes and mail could never be deleted there). A person's data leaves
only through an erasure (Privacy → A person's request) or the retention job, which
reach every place it is stored; the pages say so, with a link.
"""

from __future__ import annotations

from django.contrib import admin

from cases.admin.contacts import ContactAdmin
from cases.models import Contact
from privacy.models import AccessEntry, PersonRequest, RetentionRun
from scheduling.admin import CallbackAdmin
from scheduling.models import Callback
from telephony.admin import CallAdmin
from telephony.models import Call


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


class ErasureInsteadOfDeleteMixin:
    """No delete (nor the "delete selected" action) for rows holding a person's data."""

    change_form_template = "privacy/admin/personal_data_change_form.html"
    change_list_template = "privacy/admin/personal_data_change_list.html"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ContactWithoutDeleteAdmin(ErasureInsteadOfDeleteMixin, ContactAdmin):
    pass


class CallbackWithoutDeleteAdmin(ErasureInsteadOfDeleteMixin, CallbackAdmin):
    pass


class CallWithoutDeleteAdmin(ErasureInsteadOfDeleteMixin, CallAdmin):
    pass


#: The models whose administration loses its delete here (the others holding a person's
#: data — cases, calls, notes, changes, mail in and out — never had one).
WITHOUT_DELETE = {
    Contact: ContactWithoutDeleteAdmin,
    Callback: CallbackWithoutDeleteAdmin,
    Call: CallWithoutDeleteAdmin,
}
for _model, _admin_class in WITHOUT_DELETE.items():
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
