"""Organisations and their PSO history: searched by name, KvK number or any phone notation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import phones, services
from cases.admin.phone_numbers import OrganisationPhoneInline
from cases.admin.read_only import ReadOnlyAdminMixin
from cases.models import Organisation, OrganisationImport, PhoneNumber, PsoLevel, PsoStatus
from cases.selectors import organisations_with_current_pso
from cases.templatetags.pso import expires_soon


class PsoStatusForm(forms.ModelForm):
    class Meta:
        model = PsoStatus
        fields = [
            "organisation",
            "level",
            "effective_from",
            "valid_until",
            "reference",
            "source",
            "note",
        ]
        help_texts = {
            "valid_until": _("Leave empty: open-ended, or two years for an Aspirant status."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The same default as services.pso_status_record: an Aspirant status runs two years.
        if data.get("level") and data.get("effective_from") and not data.get("valid_until"):
            data["valid_until"] = services.default_valid_until(
                data["level"], data["effective_from"]
            )
            self.instance.valid_until = data["valid_until"]
        return data


class PsoStatusInline(admin.TabularInline):
    model = PsoStatus
    form = PsoStatusForm
    fields = ["level", "effective_from", "valid_until", "reference", "source", "note"]
    extra = 0
    ordering = ["-effective_from", "-id"]


class CurrentLevelFilter(admin.SimpleListFilter):
    title = _("PSO level now")
    parameter_name = "level_now"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(PsoLevel.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == PsoLevel.NONE:
            return queryset.filter(
                Q(current_pso_level__isnull=True) | Q(current_pso_level=PsoLevel.NONE)
            )
        if value:
            return queryset.filter(current_pso_level=value)
        return queryset


class ExpiringFilter(admin.SimpleListFilter):
    title = _("status expires soon")
    parameter_name = "expiring"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Yes"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() != "yes":
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            current_pso_valid_until__gte=today,
            current_pso_valid_until__lte=today
            + dt.timedelta(days=settings.PSO_EXPIRY_WARNING_DAYS),
        )


class OrganisationAdminForm(forms.ModelForm):
    # Same reading of a typed website and KvK number as the staff pages.
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kvk_number", "kind", "city", "website", "email_domains", "notes"]

    def clean_kvk_number(self) -> str:
        return "".join(ch for ch in self.cleaned_data.get("kvk_number", "") if ch not in " .")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "city", "kvk_number", "pso_level_now", "pso_valid_until"]
    list_filter = ["kind", CurrentLevelFilter, ExpiringFilter]
    search_fields = ["name", "kvk_number", "city", "email_domains"]
    inlines = [OrganisationPhoneInline, PsoStatusInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return organisations_with_current_pso(super().get_queryset(request))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = phones.try_normalise(search_term) if search_term else None
        if not number:
            return found, may_have_duplicates
        # A number typed in any notation finds the organisation and its contacts' numbers.
        owners = PhoneNumber.objects.filter(number=number)
        by_phone = Q(pk__in=owners.values("organisation")) | Q(
            pk__in=owners.values("contact__organisation")
        )
        return queryset.filter(Q(pk__in=found.values("pk")) | by_phone), False

    @admin.display(description=_("PSO level now"), ordering="current_pso_level")
    def pso_level_now(self, obj: Organisation) -> str:
        level = getattr(obj, "current_pso_level", None)
        return str(PsoStatus(level=level).get_level_display()) if level else "—"

    @admin.display(description=_("valid until"), ordering="current_pso_valid_until")
    def pso_valid_until(self, obj: Organisation) -> str:
        until = getattr(obj, "current_pso_valid_until", None)
        if until is None:
            return "—"
        today = timezone.localdate()
        flag = (
            " ⚠ " + str(_("expires soon"))
            if expires_soon(until, today, settings.PSO_EXPIRY_WARNING_DAYS)
            else ""
        )
        return f"{until:%d-%m-%Y}{flag}"


@admin.register(PsoStatus)
class PsoStatusAdmin(admin.ModelAdmin):
    form = PsoStatusForm
    list_display = ["organisation", "level", "effective_from", "valid_until", "reference", "source"]
    list_filter = ["level", "source"]
    search_fields = ["organisation__name", "organisation__kvk_number", "reference"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "effective_from"
    list_select_related = ["organisation"]


@admin.register(OrganisationImport)
class OrganisationImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Register imports, as their pages show them; the file itself is not shown here."""

    list_display = ("file_name", "state", "created_by", "created_at", "finished_at", "rows_total")
    list_filter = ("state",)
    fields = (
        "file_name",
        "state",
        "digest",
        "rows_total",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrganisationImport]:
        return super().get_queryset(request).defer("data", "report").select_related("created_by")
