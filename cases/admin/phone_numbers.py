"""Phone numbers: stored in E.164 form, each belonging to a contact or to an organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases import phones
from cases.models import PhoneNumber


class PhoneNumberForm(forms.ModelForm):
    """Numbers are stored in E.164 form, whatever notation was typed."""

    class Meta:
        model = PhoneNumber
        fields = ["number", "label"]

    def clean_number(self) -> str:
        return phones.normalise(self.cleaned_data.get("number", ""))


class OrganisationPhoneInline(admin.TabularInline):
    model = PhoneNumber
    form = PhoneNumberForm
    fk_name = "organisation"
    fields = ["number", "label"]
    extra = 0
    verbose_name = _("phone number of the organisation")
    verbose_name_plural = _("phone numbers of the organisation")


class ContactPhoneInline(OrganisationPhoneInline):
    fk_name = "contact"
    verbose_name = _("phone number")
    verbose_name_plural = _("phone numbers")


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
