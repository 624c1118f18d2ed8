"""Contacts: found by name, email, organisation or a phone number in any notation."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from cases import phones
from cases.admin.phone_numbers import ContactPhoneInline
from cases.models import Contact, PhoneNumber


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
