"""Reusable reads of telephony: each returns a QuerySet or plain data, never writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case, PhoneNumber, PsoStatus
from scheduling.models.callbacks import Callback, CallbackState
from staff.roles import staff_members
from telephony.models import Call

#: A call that rang this long ago without an end is no longer shown as ringing (a
#: bridge that lost its hangup must not leave a pop-up on every screen all day).
RINGING_WINDOW = dt.timedelta(minutes=30)


def phone_owner_ids(number: str) -> tuple[int | None, int | None]:
    """Whose number (E.164) this is, as the ids of the contact and the organisation: a
    contact's first (with its organisation), else an organisation's. One narrow query.

    The lookup is an exact match on the stored E.164 form (indexed), which is what
    makes every notation of the number find the same caller (``cases.phones``).
    """
    if not number:
        return None, None
    found = (
        PhoneNumber.objects.filter(number=number)
        # Contacts before organisations (NULL sorts differently per database: say it).
        .order_by(F("contact_id").asc(nulls_last=True), "pk")
        .values_list("contact_id", "contact__organisation_id", "organisation_id")[:1]
    )
    for contact_id, contact_organisation_id, organisation_id in found:
        if contact_id is not None:
            return contact_id, contact_organisation_id
        return None, organisation_id
    return None, None


#: More people than this matching one answer is taken as nobody in particular.
_MATCHES_READ = 50


def staff_for_answer(answering_number: str, users: list[str]) -> AbstractBaseUser | None:
    """The staff member who took a call: by ``answeringNumber`` (their extension, else their
    user name or email, as Zammad looks it up), else by the one name in ``user``.

    Each way counts only when it finds one person (an extension is unique; a login or a
    name must be), and a login or a name only a staff member's. One plain query reads
    the active people any of the three ways finds; which way found whom is told here
    (case-insensitive as the database compares, for the letters names and emails use);
    a second query, only when a login or a name found someone, asks who is staff."""
    name: tuple[str, str] | None = None
    found = Q(pk__in=[])
    if answering_number:
        found |= (
            Q(phone_extension__number=answering_number)
            | Q(username=answering_number)
            | Q(email__iexact=answering_number)
        )
    if len(users) == 1:
        first, _, last = users[0].partition(" ")
        name = (first.casefold(), last.casefold())
        found |= Q(first_name__iexact=first, last_name__iexact=last)
    if not answering_number and name is None:
        return None
    people = list(
        get_user_model()
        .objects.filter(found, is_active=True)
        .select_related("phone_extension")
        .order_by("pk")[:_MATCHES_READ]
    )
    for person in people:
        extension = getattr(person, "phone_extension", None)
        if answering_number and extension is not None and extension.number == answering_number:
            return person  # an extension names its user
    wanted = answering_number.casefold()
    by_login = [
        p
        for p in people
        if wanted and (p.username == answering_number or p.email.casefold() == wanted)
    ]
    by_name = [p for p in people if name == (p.first_name.casefold(), p.last_name.casefold())]
    if by_login or by_name:
        staff = set(
            staff_members()
            .filter(pk__in=[p.pk for p in by_login + by_name])
            .values_list("pk", flat=True)
        )
        for matches in (by_login, by_name):
            if len(matches := [p for p in matches if p.pk in staff]) == 1:
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
