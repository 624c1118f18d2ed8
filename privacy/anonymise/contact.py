"""Anonymising contacts: the person's own row, numbers and the mail linked to them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.models import Contact, InboundMessage, PhoneNumber
from privacy.anonymise.rows import admin_log_scrub, inbound_wipe
from privacy.models import AnonymisedContact
from privacy.scrub import ANONYMISED


def contacts_anonymise(*, contact_pks: list[int], now: dt.datetime | None = None) -> dict:
    """Blank these contacts' names, addresses and jobs, delete their numbers; counts per kind.

    Mail still linked to a contact (mail that never became a case, or that stayed
    on a case kept for another person) is theirs and is wiped as well. One
    transaction; contacts already anonymised are left out (and not counted).
    """
    now = now or timezone.now()
    with transaction.atomic():
        pks = list(
            Contact.objects.select_for_update()
            .filter(pk__in=contact_pks)
            .exclude(pk__in=AnonymisedContact.objects.values("contact_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not pks:
            return {}
        phones = PhoneNumber.objects.filter(contact_id__in=pks)
        admin_log_scrub(PhoneNumber, list(phones.values_list("pk", flat=True)))
        counts = {
            "inbound_mail": inbound_wipe(InboundMessage.objects.filter(contact_id__in=pks)),
            "phone_numbers": phones.delete()[0],
        }
        counts["contacts"] = Contact.objects.filter(pk__in=pks).update(
            name=ANONYMISED, email="", job_title="", organisation=None
        )
        admin_log_scrub(Contact, pks)
        AnonymisedContact.objects.bulk_create(
            AnonymisedContact(contact_id=pk, at=now) for pk in pks
        )
    return counts


def contact_anonymise(*, contact: Contact, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise one contact (empty counts when it already is)."""
    return contacts_anonymise(contact_pks=[contact.pk], now=now)
