"""What managers set up: case categories, first-answer targets, urgency words, canned
answers and signatures (the staff's own and the helpdesk's)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _

from cases import services
from cases.canned import PLACEHOLDERS
from cases.models import (
    CannedAnswer,
    Category,
    HelpdeskSignature,
    Signature,
    SlaTarget,
    UrgencyKeyword,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    """One row per channel and priority; a change applies to cases opened afterwards."""

    list_display = ["channel", "priority", "working_time", "updated_at"]
    list_filter = ["channel", "priority"]
    readonly_fields = ["updated_at"]


@admin.register(UrgencyKeyword)
class UrgencyKeywordAdmin(admin.ModelAdmin):
    """Words that make a mail urgent when its subject contains them as whole words."""

    list_display = ["word", "active"]
    list_editable = ["active"]
    search_fields = ["word"]


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    """Standard answers staff insert with ``::short_name``; placeholders in braces."""

    list_display = ["short_name", "title", "active", "updated_at"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["short_name", "title", "body_nl", "body_en"]
    readonly_fields = ["updated_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, change=change, **kwargs)
        names = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        form.base_fields["body_nl"].help_text = _("Placeholders: %(names)s.") % {"names": names}
        return form


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """A staff member's own signature; without one, replies carry the helpdesk's."""

    list_display = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "text"]


@admin.register(HelpdeskSignature)
class HelpdeskSignatureAdmin(admin.ModelAdmin):
    """The helpdesk's signature: one row (also on its own page, ``helpdesk_signature``)."""

    list_display = ["__str__", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return super().has_add_permission(request) and not HelpdeskSignature.objects.exists()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The one write path, so the admin and the page keep the same row the same way.
        from_form = form.cleaned_data
        services.helpdesk_signature_update(
            text_nl=from_form["text_nl"], text_en=from_form["text_en"], actor=request.user
        )
