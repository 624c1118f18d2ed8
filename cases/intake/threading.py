"""Which case a received message belongs to, and who sent it.

Rules (from the peers' known holes: django-helpdesk trusts any subject tag):
1. In-Reply-To or References naming a message of a case — one we sent or one
   we received — joins that case, whatever the subject says now.
2. The case reference in the subject joins that case only when the sender is a
   participant of it: the case's contact, or the sender of a message on it.
   From anyone else the reference is recorded as a link, never merged.
3. Otherwise the message opens a new case.

A merged case's reference leads to the case it was merged into (its mail moved there,
so rule 1 already finds the survivor for replies to the moved mail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from cases.intake.parsing import ParsedMail
from cases.models import Case, Contact, InboundMessage, Organisation, OutboundMessage
from cases.models.organisations import FREE_MAIL_DOMAINS


@dataclass(frozen=True)
class ThreadMatch:
    case: Case | None
    #: The outgoing message this one answers (used to mark bounces).
    outbound: OutboundMessage | None = None
    #: A case named in the subject by a stranger: linked, not joined.
    mentioned: Case | None = None
    how: str = ""


def subject_reference(subject: str) -> str | None:
    """The first case reference in a subject (``[PSO-2026-00042]``, brackets optional)."""
    prefix = re.escape(settings.CASE_REFERENCE_PREFIX)
    match = re.search(rf"(?<![\w-])({prefix}-\d{{4}}-\d{{5,}})(?![\w-])", subject, re.IGNORECASE)
    return match.group(1).upper() if match else None


def _outbound_for(ids: list[str]) -> OutboundMessage | None:
    """Our message named by one of ``ids``, by our Message-ID or the mail service's id.

    Amazon SES replaces the Message-ID of what we send; the reply then names the
    service's id (``<id@…amazonses.com>``), which we stored as ``esp_message_id``.
    """
    if not ids:
        return None
    locals_ = [mid.partition("@")[0] for mid in ids]
    candidates = list(
        OutboundMessage.objects.filter(
            Q(message_id__in=ids) | Q(esp_message_id__in=[*ids, *locals_])
        ).select_related("case")
    )
    for mid, local in zip(ids, locals_, strict=True):
        for out in candidates:
            if mid in (out.message_id, out.esp_message_id) or local == out.esp_message_id:
                return out
    return None


def _inbound_case_for(ids: list[str], exclude_pk: int | None) -> Case | None:
    if not ids:
        return None
    found = {
        m.message_id: m.case
        # A message that reused an earlier Message-ID proves nothing by that id.
        for m in InboundMessage.objects.filter(
            message_id__in=ids, case__isnull=False, message_id_reused=False
        )
        .exclude(pk=exclude_pk)
        .select_related("case")
        .only("message_id", "case")
    }
    for mid in ids:
        if mid in found:
            return found[mid]
    return None


def surviving_case(case: Case) -> Case:
    """The case that carries on for ``case``: itself, or the case it was merged into.

    A merge may have been merged again; the chain is followed (a bounded walk, so a
    damaged chain cannot loop).
    """
    seen = {case.pk}
    while case.merged_into_id is not None and case.merged_into_id not in seen:
        seen.add(case.merged_into_id)
        case = Case.objects.select_related("contact").get(pk=case.merged_into_id)
    return case


def is_participant(case: Case, address: str) -> bool:
    """The sender is the case's contact, or has sent a message on the case before."""
    if not address:
        return False
    if case.contact is not None and case.contact.email.lower() == address.lower():
        return True
    return InboundMessage.objects.filter(case=case, from_address__iexact=address).exists()


def find_thread(
    mail: ParsedMail, *, exclude_pk: int | None = None, sender: str = ""
) -> ThreadMatch:
    """The case ``mail`` belongs to by the rules in this module's docstring."""
    ids = mail.thread_ids
    returned = mail.returned_message_ids
    outbound = _outbound_for([*returned, *ids])
    if outbound is not None:
        return ThreadMatch(case=outbound.case, outbound=outbound, how="headers")
    case = _inbound_case_for([*returned, *ids], exclude_pk)
    if case is not None:
        return ThreadMatch(case=case, how="headers")
    reference = subject_reference(mail.subject)
    if reference:
        named = Case.objects.select_related("contact").filter(reference=reference).first()
        if named is not None:
            address = sender or mail.from_address
            # A merged case's participants are the survivor's now (its mail moved there).
            survivor = surviving_case(named)
            if is_participant(survivor, address) or (
                survivor != named and is_participant(named, address)
            ):
                return ThreadMatch(case=survivor, how="subject")
            return ThreadMatch(case=None, mentioned=survivor, how="stranger")
    return ThreadMatch(case=None)


# --- Senders ------------------------------------------------------------------------


def organisation_for_address(address: str) -> Organisation | None:
    """The organisation whose email domains include the sender's domain.

    Never for free-mail domains (gmail.com, ziggo.nl, …): anyone can have an
    address there, so it says nothing about the organisation.
    """
    domain = address.rpartition("@")[2].lower()
    if not domain or domain in FREE_MAIL_DOMAINS:
        return None
    for organisation in Organisation.objects.filter(email_domains__icontains=domain).order_by("pk"):
        if domain in organisation.domains:
            return organisation
    return None


def sender_contact(*, address: str, name: str, create: bool = True) -> Contact | None:
    """The contact with this address (ignoring case), or a new one.

    A new contact is named after the From header (else the address) and linked
    to the organisation recognised by the address's domain, if any.
    """
    if not address:
        return None
    contact = (
        Contact.objects.filter(email__iexact=address).select_related("organisation").order_by("pk")
    ).first()
    if contact is not None or not create:
        return contact
    contact = Contact(
        name=(name or address)[:200],
        email=address[:254],
        organisation=organisation_for_address(address),
    )
    contact.save()
    return contact
