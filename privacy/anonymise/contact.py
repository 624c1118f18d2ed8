"""Anonymising a contact: the person's own row, numbers and the mail linked to them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.models import Contact, PhoneNumber
from privacy.anonymise.rows import admin_log_scrub, inbound_wipe
from privacy.models import AnonymisedContact
from privacy.scrub import ANONYMISED


def contact_anonymise(*, contact: Contact, now: dt.datetime | None = None) -> dict[str, int]:
    """Blank ``contact``'s name, address and job, delete their numbers; counts per kind.

    Mail still linked to the contact (mail that never became a case, or that
    stayed on a case kept for another person) is theirs and is wiped as well.
    Idempotent: a contact already anonymised returns empty counts.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        if AnonymisedContact.objects.filter(contact=locked).exists():
            return {}
        phones = PhoneNumber.objects.filter(contact=locked)
        admin_log_scrub(PhoneNumber, list(phones.values_list("pk", flat=True)))
        counts = {
            "inbound_mail": inbound_wipe(locked.inbound_messages.all()),
            "phone_numbers": phones.delete()[0],
        }
        Contact.objects.filter(pk=locked.pk).update(
            name=ANONYMISED, email="", job_title="", organisation=None
        )
        admin_log_scrub(Contact, [locked.pk])
        counts["contacts"] = 1
        AnonymisedContact.objects.create(contact=locked, at=now)
    return counts
