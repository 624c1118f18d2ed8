"""Reads of privacy: a person found by address or number, and everything about them."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Q, QuerySet

from cases.models import Case, Contact, InboundMessage, OutboundMessage, PhoneCall, PhoneNumber
from cases.phones import try_normalise
from privacy.scrub import Identifiers
from scheduling.models import Callback


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
    )
