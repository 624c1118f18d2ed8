"""What a visitor of the public pages does: ask a question, book, move or cancel a callback.

Every write goes through the same services staff use: ``case_open`` (a case on the
``web`` channel, with its first-answer target), ``callback_schedule`` (the slot's
phone day locked, capacity counted), ``callback_move`` / ``callback_cancel``, and
``mail_send`` for the confirmation. Nothing here tells the visitor whether a
person or an organisation was already known: the pages say the same either way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.intake.acknowledgements import (
    acknowledged_in_the_last_hour,
    answer_time_in_words,
    recently_acknowledged,
)
from cases.intake.outbound import mail_send
from cases.intake.threading import organisation_for_address
from cases.models import Case, Category, Channel, Note, Organisation
from cases.services import case_open, contact_find_or_create
from public import tokens
from public.models import WebAttachment
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.changes import callback_cancel, callback_move
from scheduling.callbacks.errors import CallbackError
from scheduling.models import Callback, CallbackState
from scheduling.templatetags.callbacks import slot_words

#: The subject of a case opened for a callback booked on the web without a question.
CALLBACK_SUBJECT = "Terugbelverzoek via de website"


@dataclass(frozen=True)
class Visitor:
    """Who filled in a public form, as they typed it (the phone number already E.164)."""

    name: str
    email: str = ""
    number: str = ""
    organisation_name: str = ""
    kvk_number: str = ""


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    content: bytes


class TooManyBookings(CallbackError):
    """The number already has the week's number of callbacks booked from the web."""


def _organisation(visitor: Visitor) -> Organisation | None:
    """The organisation by its KvK number, else by the address's domain, as mail intake does.

    Never created from what an anonymous visitor typed: an unknown organisation's
    name goes into the case description for staff to match.
    """
    if visitor.kvk_number:
        found = Organisation.objects.filter(kvk_number=visitor.kvk_number).first()
        if found is not None:
            return found
    return organisation_for_address(visitor.email) if visitor.email else None


def _description(visitor: Visitor, text: str) -> str:
    lines = [text.strip()] if text.strip() else []
    if visitor.organisation_name or visitor.kvk_number:
        lines.append("")
        lines.append(
            _("Organisation given: %(name)s %(kvk)s")
            % {
                "name": visitor.organisation_name or "-",
                "kvk": f"(KvK {visitor.kvk_number})" if visitor.kvk_number else "",
            }
        )
    return "\n".join(lines).strip()


def _open_web_case(
    *, visitor: Visitor, subject: str, text: str, category: Category | None, now: dt.datetime
) -> Case:
    organisation = _organisation(visitor)
    contact = contact_find_or_create(
        name=visitor.name,
        number=visitor.number,
        email=visitor.email,
        organisation=organisation,
    )
    return case_open(
        subject=subject[:200],
        channel=Channel.WEB,
        actor=None,
        organisation=organisation or contact.organisation,
        contact=contact,
        category=category,
        description=_description(visitor, text),
        created_at=now,
    )


def _mail_hold_reason(address: str, now: dt.datetime) -> str:
    """The acknowledgement limits of mail intake, applied to web confirmations too.

    A form filled in with a stranger's address cannot make the helpdesk mail them
    more than the limit per window, nor everyone together more than the hourly cap.
    """
    if recently_acknowledged(address, now) >= settings.ACKNOWLEDGEMENT_RATE_LIMIT:
        return _("Held back: this address already had %(count)d automatic replies recently.") % {
            "count": settings.ACKNOWLEDGEMENT_RATE_LIMIT
        }
    if acknowledged_in_the_last_hour(now) >= settings.ACKNOWLEDGEMENT_LIMIT_PER_HOUR:
        return _(
            "Held back: the helpdesk sent %(count)d automatic replies in the last hour "
            "(the limit for all senders together)."
        ) % {"count": settings.ACKNOWLEDGEMENT_LIMIT_PER_HOUR}
    return ""


def link_url(purpose: str, pk: int, name: str) -> str:
    """The full address of a signed link, for a mail (``SITE_URL`` + the page)."""
    return settings.SITE_URL + reverse(name, kwargs={"token": tokens.link_token(purpose, pk)})


def _confirm(*, case: Case, to: str, template: str, context: dict, now: dt.datetime) -> None:
    """The confirmation mail in the visitor's language, through the one outgoing mail path."""
    if not to:
        return
    context = {**context, "case": case, "reference": case.reference}
    subject = render_to_string(f"public/email/{template}_subject.txt", context)
    body = render_to_string(f"public/email/{template}_body.txt", context)
    mail_send(
        case=case,
        to=to,
        subject=" ".join(subject.split())[:250],
        body_text=body,
        automatic=True,
        hold=_mail_hold_reason(to, now),
    )


# --- Asking a question ---------------------------------------------------------------------


@transaction.atomic
def question_submit(
    *,
    visitor: Visitor,
    subject: str,
    question: str,
    category: Category | None = None,
    upload: Upload | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Open a ``web`` case for the question, keep its file, and mail the promised answer time."""
    now = now or timezone.now()
    case = _open_web_case(
        visitor=visitor, subject=subject, text=question, category=category, now=now
    )
    if upload is not None:
        WebAttachment.objects.create(
            case=case,
            filename=upload.filename,
            content_type=upload.content_type[:255],
            size=len(upload.content),
            content=upload.content,
            created_at=now,
        )
    language = translation.get_language() or settings.LANGUAGE_CODE
    _confirm(
        case=case,
        to=visitor.email,
        template="question",
        context={
            "due_text": answer_time_in_words(case.due_at, language) if case.due_at else "",
            "status_url": link_url(tokens.QUESTION, case.pk, "public:question_status"),
        },
        now=now,
    )
    return case


# --- Callbacks -----------------------------------------------------------------------------


def booked_this_week(number: str, now: dt.datetime) -> int:
    """Callbacks booked from the web for ``number`` in the seven days before ``now``."""
    return Callback.objects.filter(
        number=number,
        case__channel=Channel.WEB,
        created_at__gte=now - dt.timedelta(days=7),
    ).count()


def _callback_mail(callback: Callback, to: str, template: str, now: dt.datetime) -> None:
    _confirm(
        case=callback.case,
        to=to,
        template=template,
        context={
            "slot_text": slot_words(callback.slot_start, callback.slot_minutes),
            "manage_url": link_url(tokens.CALLBACK, callback.pk, "public:callback_manage"),
        },
        now=now,
    )


@transaction.atomic
def callback_book(
    *,
    visitor: Visitor,
    slot: dt.datetime | None,
    question: str = "",
    category: Category | None = None,
    now: dt.datetime | None = None,
) -> Callback:
    """Book a callback at ``slot`` (None: the first free one) on a new ``web`` case.

    At most ``settings.PUBLIC_CALLBACKS_PER_NUMBER_PER_WEEK`` bookings per number
    in seven days (``TooManyBookings``). A slot filled in the meantime raises
    ``SlotUnavailable`` with the next free ones, and nothing is kept.
    """
    now = now or timezone.now()
    if booked_this_week(visitor.number, now) >= settings.PUBLIC_CALLBACKS_PER_NUMBER_PER_WEEK:
        raise TooManyBookings(
            _(
                "No more callbacks can be booked for this number this week. "
                "Ask your question in writing instead, or call during phone hours."
            )
        )
    subject = " ".join(question.split())[:120] or CALLBACK_SUBJECT
    case = _open_web_case(
        visitor=visitor, subject=subject, text=question, category=category, now=now
    )
    callback = callback_schedule(
        case=case,
        number=visitor.number,
        actor=None,
        requested_at=slot,
        requested_by_caller=True,
        now=now,
    )
    _callback_mail(callback, visitor.email, "callback", now)
    return callback


def _system_note(case: Case, body: str, at: dt.datetime) -> None:
    # No staff member wrote it: ``note_add`` asks for an author, so the row is made here.
    Note.objects.create(case=case, author=None, body=body, created_at=at)


def _email_of(callback: Callback) -> str:
    contact = callback.case.contact
    return contact.email if contact is not None else ""


@transaction.atomic
def callback_move_by_caller(
    *, callback: Callback, slot: dt.datetime, now: dt.datetime | None = None
) -> Callback:
    """The caller moves their callback (from the link in the mail); the case says so."""
    now = now or timezone.now()
    moved = callback_move(callback=callback, requested_at=slot, now=now)
    with translation.override(settings.LANGUAGE_CODE):  # for staff, in the helpdesk's language
        _system_note(
            moved.case,
            _("The caller moved the callback on the website to %(slot)s.")
            % {"slot": slot_words(moved.slot_start, moved.slot_minutes)},
            now,
        )
    _callback_mail(moved, _email_of(moved), "callback_moved", now)
    return moved


@transaction.atomic
def callback_cancel_by_caller(*, callback: Callback, now: dt.datetime | None = None) -> Callback:
    """The caller cancels their callback; the slot is free at once and the case says so."""
    now = now or timezone.now()
    cancelled = callback_cancel(callback=callback, now=now)
    with translation.override(settings.LANGUAGE_CODE):
        _system_note(cancelled.case, _("The caller cancelled the callback on the website."), now)
    _callback_mail(cancelled, _email_of(cancelled), "callback_cancelled", now)
    return cancelled


__all__ = [
    "CallbackState",
    "TooManyBookings",
    "Upload",
    "Visitor",
    "booked_this_week",
    "callback_book",
    "callback_cancel_by_caller",
    "callback_move_by_caller",
    "question_submit",
]
