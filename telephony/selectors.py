"""Reusable reads of telephony: each returns a QuerySet or plain data, never writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case, Contact, Organisation, PhoneNumber, PsoStatus
from scheduling.models.callbacks import Callback, CallbackState
from staff.roles import staff_members
from telephony.models import Call, Extension, PhoneSystem
from telephony.signing import token_hash

#: A call that rang this long ago without an end is no longer shown as ringing (a
#: bridge that lost its hangup must not leave a pop-up on every screen all day).
RINGING_WINDOW = dt.timedelta(minutes=30)


def system_for_token(token: str) -> PhoneSystem | None:
    """The phone system whose token this is (revoked ones too, so they can be told so)."""
    if not token or len(token) > 200:
        return None
    return PhoneSystem.objects.filter(token_hash=token_hash(token)).first()


def phone_owner(number: str) -> tuple[Contact | None, Organisation | None]:
    """Whose number (E.164) this is: a contact's first, else an organisation's. One query.

    The lookup is an exact match on the stored E.164 form (indexed), which is what
    makes every notation of the number find the same caller (``cases.phones``).
    """
    if not number:
        return None, None
    phones = (
        PhoneNumber.objects.filter(number=number)
        .select_related("contact__organisation", "organisation")
        # Contacts before organisations (NULL sorts differently per database: say it).
        .order_by(F("contact_id").asc(nulls_last=True), "pk")
    )
    phone = phones.first()
    if phone is None:
        return None, None
    if phone.contact is not None:
        return phone.contact, phone.contact.organisation
    return None, phone.organisation


def staff_for_answer(answering_number: str, users: list[str]) -> AbstractBaseUser | None:
    """The staff member who took a call: by ``answeringNumber`` (their extension, else their
    user name or email, as Zammad looks it up), else by the one name in ``user``."""
    if answering_number:
        extension = Extension.objects.filter(number=answering_number).select_related("user")
        if (found := extension.first()) is not None and found.user.is_active:
            return found.user
        by_login = staff_members().filter(
            Q(username=answering_number) | Q(email__iexact=answering_number)
        )
        if len(matches := list(by_login[:2])) == 1:
            return matches[0]
    if len(users) == 1:
        first, _, last = users[0].partition(" ")
        by_name = staff_members().filter(first_name__iexact=first, last_name__iexact=last)
        if len(matches := list(by_name[:2])) == 1:
            return matches[0]
    return None


def calls_ringing(*, now: dt.datetime | None = None) -> QuerySet[Call]:
    """Incoming calls still going (ringing or answered), newest first, with their caller.

    This is the query staff browsers poll every second; while nothing rings it is the
    only query and reads the partial index of calls without an end.
    """
    now = now or timezone.now()
    return (
        Call.objects.filter(
            ended_at__isnull=True, direction="in", started_at__gte=now - RINGING_WINDOW
        )
        .select_related("contact", "organisation", "answered_by")
        .order_by("-started_at", "-pk")
    )


@dataclass
class CallerCard:
    """What the pop-up shows of a ringing call's caller."""

    call: Call
    pso_status: PsoStatus | None = None
    open_cases: list[Case] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)


def caller_card(call: Call, *, today: dt.date | None = None) -> CallerCard:
    """The organisation's PSO status now, the caller's open cases and pending callbacks."""
    today = today or timezone.localdate()
    card = CallerCard(call=call)
    if call.organisation is not None:
        card.pso_status = call.organisation.status_on(today)
    if call.contact is not None or call.organisation is not None:
        card.open_cases = list(
            case_selectors.open_cases_of_caller(
                contact=call.contact, organisation=call.organisation
            )[:5]
        )
    if call.number:
        card.callbacks = list(
            Callback.objects.filter(number=call.number, state__in=CallbackState.open())
            .select_related("case", "claimed_by")
            .order_by("slot_start")[:5]
        )
    return card


class LogFilter:
    ALL, MISSED, ANSWERED, OUTSIDE = "", "missed", "answered", "outside"
    choices = (ALL, MISSED, ANSWERED, OUTSIDE)


def calls_for_log(*, day: dt.date, which: str = LogFilter.ALL) -> QuerySet[Call]:
    """A day's calls (Amsterdam time), newest first, with everything a row links to."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    calls = Call.objects.filter(started_at__gte=start, started_at__lt=end).select_related(
        "contact",
        "organisation",
        "answered_by",
        "phone_call__case",
        "callback__case",
    )
    if which == LogFilter.MISSED:
        calls = calls.filter(missed=True)
    elif which == LogFilter.ANSWERED:
        calls = calls.filter(answered_at__isnull=False)
    elif which == LogFilter.OUTSIDE:
        calls = calls.filter(inside_phone_hours=False)
    return calls.order_by("-started_at", "-pk")


def open_callback_for_number(number: str) -> Callback | None:
    """The callback still to be made to ``number``, if one is (the earliest)."""
    return (
        Callback.objects.filter(number=number, state__in=CallbackState.open())
        .select_related("case")
        .order_by("slot_start", "pk")
        .first()
    )
