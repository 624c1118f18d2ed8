"""A staff reply in the making: the canned answers filled in for the case, the signature.

Above mail intake (it reads the customer's language as the acknowledgement does)
and below the views that offer them in the reply box.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from calendars.configured import phone_hours
from cases.canned import fill
from cases.intake.acknowledgements import guess_language
from cases.models import CannedAnswer, Case, HelpdeskSignature, InboundMessage, Signature
from cases.timeline import person_name

#: The placeholder of the helpdesk's signature: the name of the staff member who replies.
SIGNATURE_NAME = "naam"


def _when(moment: dt.datetime, language: str) -> str:
    with translation.override(language):
        return dateformat.format(moment.astimezone(timezone.get_default_timezone()), "l j F H:i")


def reply_language(latest: InboundMessage | None) -> str:
    """The language of the customer's last mail ("nl" without one)."""
    if latest is None:
        return "nl"
    return guess_language(f"{latest.subject}\n{latest.text_body}")


def placeholder_values(case: Case, language: str, now: dt.datetime) -> dict[str, str]:
    """What the placeholders of a canned answer (``cases.canned``) become on ``case``."""
    with translation.override(language):
        nobody = gettext("Sir, Madam")
        hours = phone_hours()
        start = hours.next_open(now)
        end = next(
            (e for s, e in hours.openings(start.date(), start.date()) if s <= start < e), start
        )
        phone = f"{_when(start, language)}–{end.astimezone(timezone.get_default_timezone()):%H:%M}"
    return {
        "naam": case.contact.name if case.contact is not None else nobody,
        "zaak": case.reference,
        "antwoord_uiterlijk": _when(case.due_at, language) if case.due_at else "",
        "telefoonuren": phone,
    }


def canned_answers_for(case: Case, language: str, now: dt.datetime) -> list[dict[str, str]]:
    """The active canned answers, filled in for ``case`` in ``language`` (one query)."""
    values = placeholder_values(case, language, now)
    return [
        {
            "short_name": answer.short_name,
            "title": answer.title,
            "text": fill(answer.body(language), values),
        }
        for answer in CannedAnswer.objects.filter(active=True)
    ]


def _default_signature(language: str) -> str:
    """The signature with the organisation's details used until a manager saves one."""
    with translation.override(language):
        return render_to_string(
            "cases/email/signature_default.txt", {"name": "{" + SIGNATURE_NAME + "}"}
        ).strip()


def helpdesk_signature_texts() -> dict[str, str]:
    """The helpdesk's signature as managers edit it: ``text_nl`` and ``text_en`` as kept
    (an empty English stays empty), or the defaults until one is saved."""
    kept = HelpdeskSignature.objects.filter(pk=HelpdeskSignature.SINGLETON).first()
    if kept is not None:
        return {"text_nl": kept.text_nl, "text_en": kept.text_en}
    return {"text_nl": _default_signature("nl"), "text_en": _default_signature("en")}


def helpdesk_signature_text(language: str) -> str:
    """The helpdesk's signature in ``language`` with ``{naam}`` still in it: the one
    managers keep (its Dutch when it has no English), or the default until one is saved."""
    kept = HelpdeskSignature.objects.filter(pk=HelpdeskSignature.SINGLETON).first()
    if kept is not None:
        return kept.text(language)
    return _default_signature(language)


def signature_of(user: AbstractBaseUser, language: str) -> str:
    """The signature below ``user``'s replies: their own, else the helpdesk's with their name."""
    own = Signature.objects.filter(user=user).values_list("text", flat=True).first()
    if own:
        return own
    return helpdesk_signature_for(user, language)


def helpdesk_signature_for(user: AbstractBaseUser, language: str) -> str:
    """The helpdesk's signature in ``language`` as it reads below ``user``'s replies."""
    return fill(helpdesk_signature_text(language), {SIGNATURE_NAME: person_name(user)})
