"""Anonymising contacts: the person's own row, numbers and the mail linked to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Contact, InboundMessage, PhoneNumber
from cases.search.schema import compact as search_index_compact
from privacy.anonymise.mailboxes import mailbox_errors_scrub
from privacy.anonymise.rows import admin_log_scrub, inbound_wipe
from privacy.anonymise.telephony import blocked_numbers_remove, calls_wipe
from privacy.models import AnonymisedContact
from privacy.scrub import ANONYMISED
from privacy.selectors import phone_system_calls


def _inbound(pks: list[int]) -> int:
    return inbound_wipe(InboundMessage.objects.filter(contact_id__in=pks))


def _numbers(pks: list[int]) -> frozenset[str]:
    numbers = PhoneNumber.objects.filter(contact_id__in=pks).values_list("number", flat=True)
    return frozenset(numbers)


def _mailbox_errors(pks: list[int]) -> int:
    return mailbox_errors_scrub(messages=InboundMessage.objects.filter(contact_id__in=pks))


def _phone_system_calls(pks: list[int]) -> int:
    # Matched to the contact, or from one of their numbers (before those are deleted).
    return calls_wipe(phone_system_calls(contact_pks=pks, numbers=_numbers(pks)))


def _blocked_numbers(pks: list[int]) -> int:
    return blocked_numbers_remove(_numbers(pks))


def _phone_numbers(pks: list[int]) -> int:
    phones = PhoneNumber.objects.filter(contact_id__in=pks)
    admin_log_scrub(PhoneNumber, list(phones.values_list("pk", flat=True)))
    return phones.delete()[0]


def _contact_rows(pks: list[int]) -> int:
    admin_log_scrub(Contact, pks)
    return Contact.objects.filter(pk__in=pks).update(
        name=ANONYMISED, email="", job_title="", organisation=None
    )


#: (kind, step): each blanks one kind of row of the contacts (by key) and counts it;
#: a new table keyed to a contact (or to their numbers) is one more step here.
CONTACT_STEPS: tuple[tuple[str, Callable[[list[int]], int]], ...] = (
    ("mailbox_errors", _mailbox_errors),
    ("inbound_mail", _inbound),
    ("phone_system_calls", _phone_system_calls),
    ("blocked_numbers", _blocked_numbers),
    # After the steps that find rows by the contact's numbers.
    ("phone_numbers", _phone_numbers),
    # Last: the contact rows themselves.
    ("contacts", _contact_rows),
)


def contacts_anonymise(
    *, contact_pks: list[int], now: dt.datetime | None = None, compact: bool = True
) -> dict:
    """Blank these contacts' names, addresses and jobs, delete their numbers; counts per kind.

    The phone system's calls matched to them or from their numbers are wiped, and
    their numbers leave the block list. Mail still linked to a contact (mail that
    never became a case, or that stayed on a case kept for another person) is theirs
    and is wiped as well. One transaction; contacts already anonymised are left out
    (and not counted).
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
        counts = {kind: step(pks) for kind, step in CONTACT_STEPS}
        AnonymisedContact.objects.bulk_create(
            AnonymisedContact(contact_id=pk, at=now) for pk in pks
        )
    if compact:  # erased texts leave nothing in the search index
        search_index_compact(connection)
    return counts


def contact_anonymise(*, contact: Contact, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise one contact (empty counts when it already is)."""
    return contacts_anonymise(contact_pks=[contact.pk], now=now)
