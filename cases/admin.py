"""Administration of cases: where managers look things up and correct master data.

Nothing on a case is changed without a trace: the case form saves through
``services.case_open``/``services.case_update`` (so every change of a tracked
field lands in the case's timeline), fields that are not tracked are read-only,
and calls, notes, the change trail and the reference counter cannot be edited or
deleted here. Email records are an archive: view only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import phones, services
from cases.models import (
    Case,
    CaseChange,
    CaseCounter,
    Category,
    Contact,
    DeliveryEvent,
    InboundMessage,
    MailAttachment,
    Note,
    Organisation,
    OutboundMessage,
    PhoneCall,
    PhoneNumber,
    PsoLevel,
    PsoStatus,
    SlaTarget,
    UrgencyKeyword,
    WebhookToken,
)
from cases.selectors import organisations_with_current_pso
from cases.templatetags.pso import expires_soon
from staff.roles import staff_members


class ReadOnlyAdminMixin:
    """View only: records that are written by the helpdesk's own processes."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Organisations, statuses, contacts, phone numbers -----------------------------------------


class PhoneNumberForm(forms.ModelForm):
    """Numbers are stored in E.164 form, whatever notation was typed."""

    class Meta:
        model = PhoneNumber
        fields = ["number", "label"]

    def clean_number(self) -> str:
        return phones.normalise(self.cleaned_data.get("number", ""))


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


class OrganisationPhoneInline(admin.TabularInline):
    model = PhoneNumber
    form = PhoneNumberForm
    fk_name = "organisation"
    fields = ["number", "label"]
    extra = 0
    verbose_name = _("phone number of the organisation")
    verbose_name_plural = _("phone numbers of the organisation")


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


class ContactPhoneInline(OrganisationPhoneInline):
    fk_name = "contact"
    verbose_name = _("phone number")
    verbose_name_plural = _("phone numbers")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "job_title", "email"]
    search_fields = ["name", "email", "organisation__name", "phones__number"]
    list_filter = ["organisation__kind"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    inlines = [ContactPhoneInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = phones.try_normalise(search_term) if search_term else None
        if not number:
            return found, may_have_duplicates
        by_phone = Q(pk__in=PhoneNumber.objects.filter(number=number).values("contact"))
        return queryset.filter(Q(pk__in=found.values("pk")) | by_phone), False


class StandalonePhoneNumberForm(PhoneNumberForm):
    class Meta(PhoneNumberForm.Meta):
        fields = ["number", "label", "contact", "organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("contact")) == bool(data.get("organisation")):
            raise ValidationError(
                _("A phone number belongs to a contact or to an organisation: choose one."),
                code="owner",
            )
        return data


@admin.register(PhoneNumber)
class PhoneNumberAdmin(admin.ModelAdmin):
    form = StandalonePhoneNumberForm
    list_display = ["number", "label", "contact", "organisation"]
    search_fields = ["number", "contact__name", "organisation__name"]
    autocomplete_fields = ["contact", "organisation"]
    list_select_related = ["contact", "organisation"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        number = phones.try_normalise(search_term) if search_term else None
        if number:
            search_term = number
        return super().get_search_results(request, queryset, search_term)


# --- Cases and their timelines ----------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


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


# --- Email (an archive: view only) ---------------------------------------------------------


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
