"""Mailboxes in the administration: configuration editable, the polls' state read-only."""

from django.contrib import admin

from mailboxes.forms import MailboxForm
from mailboxes.models import Mailbox
from mailboxes.services import CONFIGURATION_FIELDS, mailbox_configure


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["name", "address", "kind", "active", "last_success_at", "taken_in", "problem"]
    list_filter = ["kind", "active", "problem"]
    search_fields = ["name", "address"]
    fields = [
        *CONFIGURATION_FIELDS,
        "last_poll_at",
        "last_success_at",
        "taken_in",
        "problem",
        "problem_detail",
        "problem_at",
        "uidvalidity",
        "last_uid",
    ]
    readonly_fields = [
        "last_poll_at",
        "last_success_at",
        "taken_in",
        "problem",
        "problem_detail",
        "problem_at",
        "uidvalidity",
        "last_uid",
    ]

    def save_model(self, request, obj, form, change):  # noqa: ANN001, ANN201 - Django's signature
        mailbox_configure(mailbox=obj)
