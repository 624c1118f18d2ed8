"""The automatic reply to the first mail of a new case: "we have it, you get an answer by …".

The reply is in Dutch, or in English when the mail is in English (see
:func:`guess_language`), carries the case reference in its subject, and names the
promised answer time in words in the helpdesk's time zone (``settings.TIME_ZONE``)
("u krijgt uiterlijk woensdag 2 december 10:15 antwoord").

Rate limit: at most ``settings.ACKNOWLEDGEMENT_RATE_LIMIT`` acknowledgements go to
one address per ``settings.ACKNOWLEDGEMENT_RATE_WINDOW_MINUTES`` (see
``docs/operations.md``), counted from the automatic messages sent to that address
in the database. This keeps a sender
that opens many cases at once (or a loop that escaped detection) from being flooded.
On top, at most ``settings.ACKNOWLEDGEMENT_LIMIT_PER_HOUR`` acknowledgements leave
the helpdesk in any hour, whoever they are for: 30 forged senders cannot turn the
helpdesk into a mail cannon. An acknowledgement held back by either limit is kept
on the case as "held back", with the reason, and is never sent.

What it repeats of the incoming mail: anyone can forge a sender, so a stranger's
display name and subject are never repeated (they may carry a phishing text); the
reply uses the case reference and a neutral greeting. Only a contact the helpdesk
already knew before this mail is greeted by the name the helpdesk has for them,
with the subject of their mail. Links are never repeated, from anyone.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import logging
import re
from typing import Any

import nh3
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from cases.intake.outbound import mail_send
from cases.models import Case, OutboundMessage, OutboundStatus

logger = logging.getLogger(__name__)

# Frequent function words that occur in one language only (words such as "is", "we"
# and "in", which both languages use, are left out so they do not count for either).
_DUTCH = (
    "de het een en van ik je jij u uw niet dat die met voor op zijn wij ons onze hebben heb "
    "bij naar maar ook kunt kan wat hoe om er dit deze aan als wordt mijn graag vraag vragen "
    "groet groeten vriendelijke bedankt dank alvast hierbij welke wanneer nog geen wel"
)
_ENGLISH = (
    "the and of to a i you your our it that for with on are have has this be not please "
    "thanks thank regards would could can my what how about from will there their which "
    "when any kind dear question questions best"
)
DUTCH_WORDS = frozenset(_DUTCH.split())
ENGLISH_WORDS = frozenset(_ENGLISH.split())
#: The least number of English words, and the lead over Dutch ones, to answer in English.
ENGLISH_MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str) -> str:
    """``"en"`` when ``text`` reads as English, else ``"nl"`` (the helpdesk's language).

    The guess counts frequent function words of each language over the first
    2,000 words, leaving out quoted lines ("> …") of earlier mail. English wins
    only with at least three English words and more English than Dutch ones; a
    short or mixed mail gets the Dutch reply, like any mail to a Dutch helpdesk.
    """
    own_lines = "\n".join(
        line for line in (text or "").splitlines() if not line.lstrip().startswith(">")
    )
    words = [w.lower() for w in _WORD.findall(own_lines)[:2000]]
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    dutch = sum(1 for w in words if w in DUTCH_WORDS)
    return "en" if english >= ENGLISH_MIN_WORDS and english > dutch else "nl"


def answer_time_in_words(due: dt.datetime, language: str) -> str:
    """``"woensdag 2 december 10:15"`` / ``"Wednesday 2 December 10:15"`` in the
    helpdesk's time zone (``settings.TIME_ZONE``), whatever zone ``due`` is in."""
    with translation.override(language):
        return dateformat.format(due.astimezone(timezone.get_default_timezone()), "l j F H:i")


def rate_limit() -> tuple[int, dt.timedelta]:
    """(how many acknowledgements, per how long) one address may receive."""
    return (
        settings.ACKNOWLEDGEMENT_RATE_LIMIT,
        dt.timedelta(minutes=settings.ACKNOWLEDGEMENT_RATE_WINDOW_MINUTES),
    )


def recently_acknowledged(address: str, now: dt.datetime) -> int:
    """How many automatic messages went to ``address`` within the rate window."""
    _limit, window = rate_limit()
    return (
        OutboundMessage.objects.filter(
            automatic=True, to__iexact=address, created_at__gte=now - window
        )
        .exclude(status=OutboundStatus.HELD)
        .count()
    )


def acknowledgement_counts(address: str, now: dt.datetime) -> tuple[int, int]:
    """(automatic messages to ``address`` within the rate window, automatic messages to
    anyone in the last hour), held ones not counted: both limits in one query.

    The same statement the ORM would build from ``recently_acknowledged`` and
    ``acknowledged_in_the_last_hour`` together (the address compared as ``iexact``
    does on the database in use), written once per process: building it through the
    ORM's aggregation cost more than a millisecond of every new case from mail.
    """
    _limit, window = rate_limit()
    hour = now - dt.timedelta(hours=1)
    moment = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _counts_sql(connection.vendor),
            [
                moment(now - window),
                connection.ops.prep_for_iexact_query(address),
                moment(hour),
                moment(min(now - window, hour)),
                OutboundStatus.HELD.value,
            ],
        )
        sender, everyone = cursor.fetchone()
    return int(sender or 0), int(everyone or 0)


@functools.cache
def _counts_sql(vendor: str) -> str:
    """The statement of ``acknowledgement_counts`` for the database ``vendor``."""
    quote = connection.ops.quote_name
    to = connection.ops.lookup_cast("iexact", "TextField") % quote("to")
    matches = connection.operators["iexact"] % "%s"
    created = quote("created_at")
    return (
        f"SELECT COUNT(CASE WHEN {created} >= %s AND {to} {matches} THEN 1 END), "
        f"COUNT(CASE WHEN {created} >= %s THEN 1 END) "
        f"FROM {quote(OutboundMessage._meta.db_table)} "
        f"WHERE {quote('automatic')} AND {created} >= %s AND NOT ({quote('status')} = %s)"
    )


#: Tags that separate words on the screen. nh3 keeps them (without attributes, so
#: always in this exact form) and they become spaces: "<div>Hi</div><div>thanks</div>",
#: as some mail programs write it, stays two words for :func:`guess_language`.
_WORD_BREAK_TAGS = frozenset(
    {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
    | {"blockquote", "pre", "table", "ul", "ol", "dd", "dt"}
)


def html_text(markup: str) -> str:
    """The text a reader sees in an HTML body, for guessing its language.

    The HTML is parsed by nh3 (not matched with a pattern, which a ``>`` inside an
    attribute or a comment fools): scripts, styles, the head and comments go with
    their content, other tags go and leave their text, a block or line break
    becomes a space, and entities (``&amp;``, ``&eacute;``) become their characters.
    """
    cleaned = nh3.clean(
        markup or "",
        tags=set(_WORD_BREAK_TAGS),
        clean_content_tags={"script", "style", "head", "title"},
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    for tag in _WORD_BREAK_TAGS:
        cleaned = cleaned.replace(f"<{tag}>", " ").replace(f"</{tag}>", " ")
    return html.unescape(cleaned)


def _message_text(message: Any) -> str:
    subject = getattr(message, "subject", "") or ""
    body = getattr(message, "text_body", "") or ""
    if not body.strip():
        body = html_text(getattr(message, "html_body", "") or "")
    return f"{subject}\n{body}"


_LINK = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S*|\S+\.(?:[a-z]{2,})/\S*")


def without_links(text: str) -> str:
    """``text`` with anything that looks like a link or web address replaced by "…"."""
    return " ".join(_LINK.sub("…", text or "").split())


def known_contact(message: Any) -> Any:
    """The contact that sent ``message`` if the helpdesk knew them before it arrived, else None.

    A contact made for this very mail is a stranger: its name came from the mail.
    """
    contact = getattr(message, "contact", None)
    received = getattr(message, "received_at", None)
    if contact is None or received is None or contact.created_at >= received:
        return None
    return contact


def acknowledgement_render(*, case: Case, message: Any) -> tuple[str, str, str]:
    """(language, subject, text) of the acknowledgement of ``message`` on ``case``."""
    language = guess_language(_message_text(message))
    contact = known_contact(message)
    subject = ""
    if contact is not None:
        subject = without_links(getattr(message, "subject", "") or case.subject)
    context = {
        "case": case,
        "reference": case.reference,
        "subject": subject,
        "name": without_links(contact.name) if contact is not None else "",
        "due_text": answer_time_in_words(case.due_at, language) if case.due_at else "",
    }
    with translation.override(language):
        subject = render_to_string(f"cases/email/ack_subject_{language}.txt", context)
        body = render_to_string(f"cases/email/ack_body_{language}.txt", context)
    return language, " ".join(subject.split())[:300], body


def acknowledgement_send(*, case: Case, message: Any, now: dt.datetime | None = None) -> bool:
    """Send the acknowledgement of ``message`` (which opened ``case``); returns whether sent.

    Not sent without a sender address, or when the sender has already had the
    rate limit's number of automatic messages within its window.
    """
    now = now or timezone.now()
    address = (getattr(message, "from_address", "") or "").strip()
    if not address:
        return False
    limit, _window = rate_limit()
    held = ""
    to_sender, to_everyone = acknowledgement_counts(address, now)
    if to_sender >= limit:
        held = _("Held back: this address already had %(count)d automatic replies recently.") % {
            "count": limit
        }
    elif to_everyone >= settings.ACKNOWLEDGEMENT_LIMIT_PER_HOUR:
        held = _(
            "Held back: the helpdesk sent %(count)d automatic replies in the last hour "
            "(the limit for all senders together)."
        ) % {"count": settings.ACKNOWLEDGEMENT_LIMIT_PER_HOUR}
    _language, subject, body = acknowledgement_render(case=case, message=message)
    if held:
        logger.info("acknowledgement of %s to %s held back", case.reference, address)
    mail_send(
        case=case,
        to=address,
        subject=subject,
        body_text=body,
        automatic=True,
        in_reply_to=message,
        hold=held,
        first=True,  # the case was opened by this very message
    )
    return not held


def acknowledged_in_the_last_hour(now: dt.datetime) -> int:
    """How many automatic replies were recorded to be sent in the hour before ``now``."""
    return (
        OutboundMessage.objects.filter(automatic=True, created_at__gte=now - dt.timedelta(hours=1))
        .exclude(status=OutboundStatus.HELD)
        .count()
    )
