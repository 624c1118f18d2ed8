"""Erasing one person: their own cases whole, their part of cases shared with others.

A case only this person took part in (they are its contact, or it has none, and
every mail, call and callback on it is theirs) is anonymised whole. A case that
others took part in too keeps everything of those others: only this person's
mail is wiped, their number blanked, their name, addresses and numbers replaced
in the texts (``privacy.scrub``). Each case is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from cases.models import (
    Case,
    CaseChange,
    Contact,
    DeliveryEvent,
    InboundMessage,
    MailAttachment,
    Note,
    Organisation,
    OutboundMessage,
    PhoneCall,
)
from cases.search.schema import compact as search_index_compact
from privacy.anonymise.case import case_anonymise
from privacy.anonymise.contact import contact_anonymise
from privacy.anonymise.mailboxes import mailbox_errors_scrub
from privacy.anonymise.rows import admin_log_scrub, inbound_wipe, outbound_wipe
from privacy.anonymise.telephony import blocked_numbers_remove, calls_of_cases, calls_wipe
from privacy.scrub import addresses_without, pattern, scrub, scrub_bytes
from privacy.scrub_mail import scrub_mail, scrub_text_bytes
from privacy.selectors import Person, inbound_of, phone_system_calls
from scheduling.models import Callback

Pattern = re.Pattern[str] | None


def case_is_only_theirs(case: Case, person: Person) -> bool:
    """Whether nobody but ``person`` appears on ``case`` (contact, mail, calls, callbacks)."""
    if case.contact_id is not None and case.contact_id not in person.contact_pks:
        return False
    if case.inbound_messages.exclude(inbound_of(person)).exists():
        return False
    numbers = person.numbers | {""}
    if PhoneCall.objects.filter(case=case).exclude(number__in=numbers).exists():
        return False
    if Callback.objects.filter(case=case).exclude(number__in=numbers).exists():
        return False
    for to in case.outbound_messages.values_list("to", flat=True):
        if addresses_without(to, person.emails):
            return False
    return True


def _rows_scrub(rows: QuerySet, fields: tuple[str, ...], compiled: Pattern) -> int:
    """Replace the identifiers in ``fields`` of ``rows``; saves only rows that changed."""
    changed: list[Model] = []
    for row in rows.only("pk", *fields):
        before = [getattr(row, f) for f in fields]
        for f in fields:
            value = getattr(row, f)
            if isinstance(value, (bytes, memoryview)):
                setattr(row, f, scrub_bytes(bytes(value), compiled))
            else:
                setattr(row, f, scrub(value, compiled))
        if [getattr(row, f) for f in fields] != before:
            changed.append(row)
    if changed:
        rows.model.objects.bulk_update(changed, fields)
    return len(changed)


def _their_inbound(case: Case, person: Person, compiled: Pattern) -> int:
    return inbound_wipe(case.inbound_messages.filter(inbound_of(person)))


def _others_inbound(case: Case, person: Person, compiled: Pattern) -> int:
    messages = case.inbound_messages.exclude(inbound_of(person))
    recipients = list(messages.only("pk", "to", "cc"))
    for message in recipients:
        message.to = addresses_without(message.to, person.emails)
        message.cc = addresses_without(message.cc, person.emails)
    InboundMessage.objects.bulk_update(recipients, ["to", "cc"])
    fields = ("to", "cc", "subject", "in_reply_to", "references", "text_body", "html_body")
    count = _rows_scrub(messages, fields, compiled)
    for pk, raw in messages.values_list("pk", "raw"):
        # Encoded parts too: a reply quoting the person in base64 or quoted-printable.
        scrubbed = scrub_mail(bytes(raw), compiled)
        if scrubbed != bytes(raw):
            # The digest of the original follows its bytes (it identifies the stored copy).
            digest = hashlib.sha256(scrubbed).hexdigest()
            InboundMessage.objects.filter(pk=pk).update(raw=scrubbed, raw_sha256=digest)
            count += 1
    return count + _attachments_scrub(messages, compiled)


def _attachments_scrub(messages: QuerySet[InboundMessage], compiled: Pattern) -> int:
    """Text attachments of others' mail lose the person's identifiers; a PDF or image is
    left whole (words replaced inside it would break the file)."""
    changed = []
    for attachment in MailAttachment.objects.filter(
        message__in=messages, content_type__istartswith="text/"
    ).only("pk", "content", "content_type"):
        content = bytes(attachment.content)
        charset = re.search(r"charset=\"?([\w\-]+)", attachment.content_type)
        scrubbed = scrub_text_bytes(content, compiled, charset.group(1) if charset else None)
        if scrubbed != content:
            attachment.content, attachment.size = scrubbed, len(scrubbed)
            changed.append(attachment)
    MailAttachment.objects.bulk_update(changed, ["content", "size"])
    return len(changed)


def _phone_system_calls(case: Case, person: Person, compiled: Pattern) -> int:
    theirs = phone_system_calls(contact_pks=person.contact_pks, numbers=person.numbers)
    return calls_wipe(calls_of_cases([case.pk]).filter(pk__in=theirs.values("pk")))


def _calls(case: Case, person: Person, compiled: Pattern) -> int:
    calls = PhoneCall.objects.filter(case=case)
    blanked = calls.filter(number__in=person.numbers).update(number="")
    return blanked + _rows_scrub(calls, ("notes",), compiled)


def _callbacks(case: Case, person: Person, compiled: Pattern) -> int:
    callbacks = Callback.objects.filter(case=case)
    blanked = callbacks.filter(number__in=person.numbers).update(number="")
    return blanked + _rows_scrub(callbacks, ("outcome_notes",), compiled)


def _outbound(case: Case, person: Person, compiled: Pattern) -> int:
    only_theirs = [
        pk
        for pk, to in case.outbound_messages.values_list("pk", "to")
        if not addresses_without(to, person.emails)
    ]
    count = outbound_wipe(OutboundMessage.objects.filter(pk__in=only_theirs))
    shared = case.outbound_messages.exclude(pk__in=only_theirs)
    changed = []
    for message in shared.only("pk", "to", "subject", "body_text", "body_html"):
        message.to = addresses_without(message.to, person.emails)
        message.subject = scrub(message.subject, compiled)
        message.body_text = scrub(message.body_text, compiled)
        message.body_html = scrub(message.body_html, compiled)
        changed.append(message)
    OutboundMessage.objects.bulk_update(changed, ["to", "subject", "body_text", "body_html"])
    events = DeliveryEvent.objects.filter(message__case=case)
    return count + len(changed) + _rows_scrub(events, ("recipient", "detail"), compiled)


def _notes(case: Case, person: Person, compiled: Pattern) -> int:
    return _rows_scrub(Note.objects.filter(case=case), ("body",), compiled)


def _changes(case: Case, person: Person, compiled: Pattern) -> int:
    changes = CaseChange.objects.filter(case=case)
    their_keys = [str(pk) for pk in person.contact_pks]
    count = changes.filter(field="contact", old_value__in=their_keys).update(old_value="")
    count += changes.filter(field="contact", new_value__in=their_keys).update(new_value="")
    return count + _rows_scrub(changes, ("old_value", "new_value"), compiled)


def _case_row(case: Case, person: Person, compiled: Pattern) -> int:
    count = _rows_scrub(Case.objects.filter(pk=case.pk), ("subject", "description"), compiled)
    count += Case.objects.filter(pk=case.pk, contact__in=person.contact_pks).update(contact=None)
    admin_log_scrub(Case, [case.pk])
    return min(count, 1)


#: (kind, step) for a case shared with others; each touches only this person's part.
SHARED_CASE_STEPS: tuple[tuple[str, Callable[[Case, Person, Pattern], int]], ...] = (
    ("inbound_mail", _their_inbound),
    ("others_mail_scrubbed", _others_inbound),
    ("phone_system_calls", _phone_system_calls),
    ("calls", _calls),
    ("callbacks", _callbacks),
    ("outbound_mail", _outbound),
    ("notes", _notes),
    ("changes", _changes),
    ("cases", _case_row),
)


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for kind, count in counts.items():
        total[kind] = total.get(kind, 0) + count


def person_erase(*, person: Person, cases: list[Case], now: dt.datetime | None = None) -> dict:
    """Anonymise ``person`` everywhere; returns rows changed per kind.

    ``cases`` are the person's cases (``person_records``); closing open ones and
    refusing held ones is the caller's business (``privacy.services``).
    """
    now = now or timezone.now()
    compiled = pattern(person.identifiers)
    total: dict[str, int] = {}
    # First, while their mail still has its keys and senders to be recognised by.
    their_mail = InboundMessage.objects.filter(inbound_of(person))
    _add(total, {"mailbox_errors": mailbox_errors_scrub(messages=their_mail, compiled=compiled)})
    for case in cases:
        if case_is_only_theirs(case, person):
            _add(total, case_anonymise(case=case, now=now))
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            _add(total, {kind: step(locked, person, compiled) for kind, step in SHARED_CASE_STEPS})
    # Their mail that never became a case, their calls nobody logged, their blocked numbers.
    _add(total, {"inbound_mail": inbound_wipe(InboundMessage.objects.filter(inbound_of(person)))})
    theirs = phone_system_calls(contact_pks=person.contact_pks, numbers=person.numbers)
    _add(total, {"phone_system_calls": calls_wipe(theirs)})
    _add(total, {"blocked_numbers": blocked_numbers_remove(person.numbers)})
    organisations = Organisation.objects.filter(contacts__in=person.contact_pks).distinct()
    _add(total, {"organisation_notes": _rows_scrub(organisations, ("notes",), compiled)})
    for contact in Contact.objects.filter(pk__in=person.contact_pks):
        _add(total, contact_anonymise(contact=contact, now=now))
    search_index_compact(connection)  # erased texts leave nothing in the search index
    return total
