"""Reads of privacy: a person found by address or number, and everything about them."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length

from cases.models import (
    Case,
    Contact,
    InboundMessage,
    InboundStatus,
    MailAttachment,
    OutboundMessage,
    PhoneCall,
    PhoneNumber,
    Status,
)
from cases.phones import try_normalise
from mailboxes.models import Mailbox
from privacy.models import AccessEntry, RetentionPolicy
from privacy.scrub import ANONYMISED, Identifiers
from scheduling.models import Callback
from telephony.models import Call, CallEvent

#: The mark of a phone system's call that was wiped: its phone system's id replaced
#: ("anonymised-<pk>"; some bridges build the id from the number).
WIPED_CALL_ID = "anonymised-"


class NotAPerson(ValueError):
    """The search term is neither an email address nor a phone number."""


@dataclass(frozen=True)
class Person:
    """Who a request is about: their contact rows and every identifier known for them."""

    contact_pks: frozenset[int]
    identifiers: Identifiers

    @property
    def emails(self) -> frozenset[str]:
        return self.identifiers.emails

    @property
    def numbers(self) -> frozenset[str]:
        return self.identifiers.numbers


def identifier_from(term: str) -> tuple[str, str]:
    """("email", address) or ("phone", E.164) for a search term; ``NotAPerson`` otherwise."""
    term = (term or "").strip()
    if "@" in term and " " not in term and len(term) <= 320:
        return "email", term.lower()
    number = try_normalise(term)
    if number is None:
        raise NotAPerson(term)
    return "phone", number


def person_find(term: str) -> Person:
    """The person with this email address or phone number (any notation).

    Their contacts are found by either; every address and number of those contacts
    is then part of the person, so a search by number also finds their mail.
    """
    kind, value = identifier_from(term)
    match = Q(email__iexact=value) if kind == "email" else Q(phones__number=value)
    contacts = list(Contact.objects.filter(match).distinct().values_list("pk", "name", "email"))
    pks = frozenset(pk for pk, _name, _email in contacts)
    emails = {email.lower() for _pk, _name, email in contacts if email}
    numbers = set(PhoneNumber.objects.filter(contact__in=pks).values_list("number", flat=True))
    (emails if kind == "email" else numbers).add(value)
    names = frozenset(name for _pk, name, _email in contacts if name)
    return Person(pks, Identifiers(names, frozenset(emails), frozenset(numbers)))


def _any(lookup: str, values: frozenset[str]) -> Q:
    # Q() alone would match every row: an empty set of values matches none.
    if not values:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(**{lookup: v}) for v in sorted(values)))


def inbound_of(person: Person) -> Q:
    """Received mail the person sent (by contact, or by sender address)."""
    return Q(contact__in=person.contact_pks) | _any("from_address__iexact", person.emails)


def outbound_to(person: Person) -> Q:
    return _any("to__icontains", person.emails)


@dataclass(frozen=True)
class PersonRecords:
    """Everything stored about one person, as querysets (nothing read yet)."""

    contacts: QuerySet[Contact]
    phone_numbers: QuerySet[PhoneNumber]
    cases: QuerySet[Case]
    inbound_mail: QuerySet[InboundMessage]
    outbound_mail: QuerySet[OutboundMessage]
    calls: QuerySet[PhoneCall]
    callbacks: QuerySet[Callback]
    phone_system_calls: QuerySet[Call]

    def counts(self) -> dict[str, int]:
        """Rows per kind (one count query per kind)."""
        return {
            kind: getattr(self, kind).count()
            for kind in (
                "contacts",
                "phone_numbers",
                "cases",
                "inbound_mail",
                "outbound_mail",
                "calls",
                "callbacks",
                "phone_system_calls",
            )
        }


def person_records(person: Person) -> PersonRecords:
    inbound = InboundMessage.objects.filter(inbound_of(person))
    outbound = OutboundMessage.objects.filter(outbound_to(person))
    calls = PhoneCall.objects.filter(number__in=person.numbers)
    callbacks = Callback.objects.filter(number__in=person.numbers)
    cases = Case.objects.filter(
        Q(contact__in=person.contact_pks)
        | Q(pk__in=inbound.exclude(case=None).values("case"))
        | Q(pk__in=outbound.values("case"))
        | Q(pk__in=calls.values("case"))
        | Q(pk__in=callbacks.values("case"))
    )
    return PersonRecords(
        contacts=Contact.objects.filter(pk__in=person.contact_pks),
        phone_numbers=PhoneNumber.objects.filter(contact__in=person.contact_pks),
        cases=cases.order_by("created_at", "pk"),
        inbound_mail=inbound.order_by("received_at", "pk"),
        outbound_mail=outbound.order_by("created_at", "pk"),
        calls=calls.order_by("started_at", "pk"),
        callbacks=callbacks.order_by("slot_start", "pk"),
        phone_system_calls=phone_system_calls(
            contact_pks=person.contact_pks, numbers=person.numbers
        ).order_by("started_at", "pk"),
    )


# --- Retention ---------------------------------------------------------------------------

#: Statuses in which the helpdesk's work on a case has ended (``Case.resolved_at`` is set).
DONE = (Status.RESOLVED, Status.CLOSED)


def retention_policy() -> RetentionPolicy:
    """The policy in force: row 1, or the documented defaults when nobody set one."""
    return RetentionPolicy.objects.filter(pk=1).first() or RetentionPolicy(pk=1)


def cases_due_for_anonymising(cutoff: dt.datetime) -> QuerySet[Case]:
    """Cases done before ``cutoff``, not yet anonymised, not under a legal hold."""
    return Case.objects.filter(
        status__in=DONE,
        resolved_at__lt=cutoff,
        anonymised__isnull=True,
        legal_hold__isnull=True,
    ).order_by("pk")


def cases_due_for_removing_originals(cutoff: dt.datetime) -> QuerySet[Case]:
    """Cases done before ``cutoff`` that still have a raw original, an attachment, or a
    phone system's raw event of one of their calls."""
    has_raw = InboundMessage.objects.filter(case=OuterRef("pk")).annotate(n=Length("raw"))
    attachment = MailAttachment.objects.filter(message__case=OuterRef("pk"))
    payload = CallEvent.objects.filter(call__phone_call__case=OuterRef("pk")).exclude(payload={})
    return Case.objects.filter(
        Exists(has_raw.filter(n__gt=0)) | Exists(attachment) | Exists(payload),
        status__in=DONE,
        resolved_at__lt=cutoff,
        legal_hold__isnull=True,
    ).order_by("pk")


def mail_without_case_due(cutoff: dt.datetime) -> QuerySet[InboundMessage]:
    """Received mail that never became a case, received before ``cutoff``, not yet wiped."""
    return (
        InboundMessage.objects.filter(case=None, received_at__lt=cutoff)
        .exclude(status=InboundStatus.PROCESSING)
        .exclude(from_name=ANONYMISED)
        .order_by("pk")
    )


def calls_without_case_due(cutoff: dt.datetime) -> QuerySet[Call]:
    """The phone system's calls nobody logged or called back, begun before ``cutoff``,
    not yet wiped (a call on a case goes with its case)."""
    return (
        Call.objects.filter(phone_call=None, callback=None, started_at__lt=cutoff)
        .exclude(call_id__startswith=WIPED_CALL_ID)
        .order_by("pk")
    )


def phone_system_calls(
    *, contact_pks: frozenset[int] | list[int], numbers: frozenset[str]
) -> QuerySet[Call]:
    """The phone system's calls of a person: matched to their contacts, or their numbers."""
    match = Q(contact_id__in=sorted(contact_pks))
    if numbers:
        match |= Q(number__in=sorted(numbers))
    return Call.objects.filter(match)


def contacts_due(
    cutoff: dt.datetime,
    *,
    leaving_cases: QuerySet[Case] | None = None,
    leaving_mail: QuerySet[InboundMessage] | None = None,
    leaving_calls: QuerySet[Call] | None = None,
) -> QuerySet[Contact]:
    """Contacts made before ``cutoff`` with no case, no mail and no phone system's call
    left: nothing keeps them.

    ``leaving_cases``, ``leaving_mail`` and ``leaving_calls`` count as gone already (a
    dry run's view of what the run will have done by the time it comes to the contacts).
    """
    cases = Case.objects.filter(contact=OuterRef("pk"))
    mail = InboundMessage.objects.filter(contact=OuterRef("pk"))
    calls = Call.objects.filter(contact=OuterRef("pk")).exclude(call_id__startswith=WIPED_CALL_ID)
    if leaving_cases is not None:
        cases = cases.exclude(pk__in=leaving_cases.values("pk"))
        mail = mail.exclude(case__in=leaving_cases.values("pk"))
        calls = calls.exclude(phone_call__case__in=leaving_cases.values("pk")).exclude(
            callback__case__in=leaving_cases.values("pk")
        )
    if leaving_mail is not None:
        mail = mail.exclude(pk__in=leaving_mail.values("pk"))
    if leaving_calls is not None:
        calls = calls.exclude(pk__in=leaving_calls.values("pk"))
    return (
        Contact.objects.filter(created_at__lt=cutoff, anonymised__isnull=True)
        .filter(~Exists(cases))
        .filter(~Exists(mail))
        .filter(~Exists(calls))
        .order_by("pk")
    )


def mailbox_errors_old(cutoff: dt.datetime) -> QuerySet[Mailbox]:
    """Mailboxes whose error text is older than ``cutoff`` (the failure lasted that long)."""
    return Mailbox.objects.exclude(problem_detail="").filter(
        Q(problem_at__lt=cutoff) | Q(problem_at__isnull=True, last_poll_at__lt=cutoff)
    )


def access_entries_due(cutoff: dt.datetime) -> QuerySet[AccessEntry]:
    return AccessEntry.objects.filter(at__lt=cutoff)


# --- The access log ------------------------------------------------------------------------


def access_entries(
    *,
    user: str = "",
    case: str = "",
    person: Person | None = None,
    person_digests: tuple[str, ...] = (),
) -> QuerySet[AccessEntry]:
    """Entries by user name, case reference or person, newest first.

    By person: their searches and exports (by digest), and views of their cases,
    of their mail and of its attachments and originals.
    """
    entries = AccessEntry.objects.all()
    if user:
        entries = entries.filter(username__iexact=user.strip())
    if case:
        case = case.strip().upper()
        mail = InboundMessage.objects.filter(case__reference=case).values("pk")
        attachments = MailAttachment.objects.filter(message__case__reference=case).values("pk")
        entries = entries.filter(
            Q(case_reference=case)
            | Q(kind="case", object_id__in=Case.objects.filter(reference=case).values("pk"))
            | Q(kind__in=["mail", "original"], object_id__in=mail)
            | Q(kind="attachment", object_id__in=attachments)
        )
    if person is not None:
        records = person_records(person)
        mail = records.inbound_mail.values("pk")
        attachments = MailAttachment.objects.filter(message__in=records.inbound_mail).values("pk")
        entries = entries.filter(
            Q(person_digest__in=person_digests)
            | Q(case_reference__in=records.cases.values("reference"))
            | Q(kind="case", object_id__in=records.cases.values("pk"))
            | Q(kind="contact", object_id__in=person.contact_pks)
            | Q(kind__in=["mail", "original"], object_id__in=mail)
            | Q(kind="attachment", object_id__in=attachments)
        )
    return entries.order_by("-at", "-pk")


def case_anonymise_counts(case: Case) -> dict[str, int]:
    """What anonymising ``case`` would change: rows per kind (for the confirmation)."""
    return {
        "calls": PhoneCall.objects.filter(case=case).count(),
        "notes": case.notes.count(),
        "inbound_mail": case.inbound_messages.count(),
        "attachments": MailAttachment.objects.filter(message__case=case).count(),
        "outbound_mail": case.outbound_messages.count(),
        "callbacks": Callback.objects.filter(case=case).count(),
        "changes": case.changes.filter(field__in=("subject", "contact")).count(),
    }
