"""What managers set up: case categories, first-answer targets, urgency words."""

from __future__ import annotations

from django.contrib import admin

from cases.models import Category, SlaTarget, UrgencyKeyword


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
