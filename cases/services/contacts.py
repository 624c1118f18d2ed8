"""Writes of callers: the contact on the line and the organisation they name."""

from __future__ import annotations

from django.db import transaction

from cases.models import Contact, Organisation, PhoneNumber


def organisation_find_or_create(*, name: str) -> Organisation:
    """The organisation with exactly this name (ignoring case), or a new one.

    Typed while talking, so a known organisation is reused rather than doubled.
    """
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).order_by("pk").first()
    if existing is not None:
        return existing
    organisation = Organisation(name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def contact_find_or_create(
    *,
    name: str,
    number: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
) -> Contact:
    """The caller as a contact, with the number they called from, so the next call finds them.

    A contact with the same name (ignoring case) and the same number or email is
    the same person and is reused; anyone else becomes a new contact. Without a
    chosen organisation, ``organisation_name`` finds one by its exact name or
    creates it. ``number`` must already be E.164 (``cases.phones.normalise``).
    """
    name = " ".join(name.split())
    if organisation is None and organisation_name.strip():
        organisation = organisation_find_or_create(name=organisation_name)

    same_person = Contact.objects.none()
    if number:
        same_person = Contact.objects.filter(name__iexact=name, phones__number=number)
    if email:
        same_person = same_person | Contact.objects.filter(name__iexact=name, email__iexact=email)
    contact = same_person.order_by("pk").first()
    if contact is None:
        contact = Contact(name=name, email=email, organisation=organisation)
        contact.full_clean()
        contact.save()
    else:
        if organisation is not None and contact.organisation_id is None:
            contact.organisation = organisation
            contact.save(update_fields=["organisation"])
        if email and not contact.email:
            contact.email = email
            contact.save(update_fields=["email"])
    if number and not contact.phones.filter(number=number).exists():
        PhoneNumber.objects.create(contact=contact, number=number)
    return contact
