"""Email in and out, and the delivery reports on it: an archive, view only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cases.admin.read_only import ReadOnlyAdminMixin
from cases.models import (
    CasePresence,
    DeliveryEvent,
    InboundMessage,
    MailAttachment,
    OutboundAttachment,
    OutboundMessage,
    WebhookToken,
)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["received_at", "from_address", "subject", "status", "outcome", "case"]
    list_filter = ["status", "outcome", "is_bounce"]
    search_fields = ["from_address", "subject", "message_id", "case__reference"]
    date_hierarchy = "received_at"
    list_select_related = ["case"]
    # The raw message can be megabytes: never loaded for a list or shown here
    # (staff download it from the message's page).
    exclude = ["raw"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundMessage]:
        return super().get_queryset(request).defer("raw")


@admin.register(MailAttachment)
class MailAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "content_type", "size", "message"]
    search_fields = ["filename", "message__subject"]
    list_select_related = ["message"]
    exclude = ["content"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MailAttachment]:
        return super().get_queryset(request).defer("content", "message__raw")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "automatic", "case"]
    list_filter = ["status", "automatic"]
    search_fields = ["to", "subject", "message_id", "case__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["case"]


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "recipient", "source", "message"]
    list_filter = ["kind", "source"]
    search_fields = ["recipient", "message__message_id", "message__case__reference"]
    date_hierarchy = "occurred_at"
    list_select_related = ["message"]


@admin.register(WebhookToken)
class WebhookTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["seen_at", "token"]
    date_hierarchy = "seen_at"


@admin.register(OutboundAttachment)
class OutboundAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "content_type", "size", "message"]
    search_fields = ["filename", "message__subject"]
    list_select_related = ["message"]
    exclude = ["content"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundAttachment]:
        return super().get_queryset(request).defer("content")


@admin.register(CasePresence)
class CasePresenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who had which case open lately (the case page's presence line)."""

    list_display = ["case", "user", "writing", "seen_at"]
    list_select_related = ["case", "user"]
