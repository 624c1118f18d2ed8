"""Demo mail: cases that come in by email, with their threads, made through mail intake.

A customer's message is stored and processed by ``cases.intake.email.mail_receive`` (so it
opens its case and gets the acknowledgement, as real mail does); staff answer with
``cases.intake.outbound.mail_send``; the customer's reply threads by its headers. The one
thing the demo does that real mail does not: its mail is dated in the past, so what the
intake wrote "now" (the acknowledgement, the reply) is dated back to when it happened and
marked as sent — nothing is handed to the mail server while the demo is made.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from cases.first_answer import clock
from cases.intake.email import mail_receive
from cases.intake.outbound import mail_send
from cases.models import Case, Contact, InboundMessage, OutboundMessage, OutboundStatus
from cases.replies import signature_of
from helpdesk.demo.run import DemoRun

#: The customer's words, by what they ask about (the subject is chosen by the caller).
QUESTIONS = (
    "Goedemorgen,\n\nWij willen graag weten wat de volgende stap is. Kunt u ons laten weten "
    "welke gegevens u van ons nodig hebt?\n\nMet vriendelijke groet,\n{name}",
    "Beste helpdesk,\n\nIk heb een vraag over onze PSO-status. Wij hebben de zelfscan "
    "ingevuld maar weten niet zeker of wij alles goed hebben gedaan.\n\nGroet,\n{name}",
    "Hallo,\n\nKunt u mij terugmailen over onze aanvraag? De aanbesteding sluit binnenkort "
    "en wij hebben het certificaat nodig.\n\nAlvast bedankt,\n{name}",
)
ANSWERS = (
    "Beste {name},\n\nDank voor uw bericht. De volgende stap is het aanleveren van de "
    "personeelsgegevens via mijnpso.nl; daarna plannen wij de beoordeling in.",
    "Beste {name},\n\nUw zelfscan is compleet. U kunt de aanvraag nu indienen; de "
    "beoordeling volgt binnen vier weken.",
    "Beste {name},\n\nWij hebben uw aanvraag met voorrang opgepakt. Het certificaat "
    "ontvangt u zodra de auditor de gegevens heeft bekeken.",
)
THANKS = (
    "Dank u wel, dit helpt ons verder.\n\n{name}",
    "Duidelijk, wij sturen de gegevens deze week.\n\n{name}",
    "Bedankt! Nog één vraag: geldt dit ook voor onze tweede vestiging?\n\n{name}",
)


def demo_raw_mail(
    contact: Contact,
    subject: str,
    body: str,
    at: dt.datetime,
    *,
    in_reply_to: str = "",
    attachment: tuple[str, bytes, str] | None = None,
) -> bytes:
    """A customer's message as their mail program would send it."""
    message = EmailMessage()
    message["From"] = f"{contact.name} <{contact.email}>"
    message["To"] = settings.DEFAULT_FROM_EMAIL
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain=contact.email.rpartition("@")[2] or "example.nl")
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
        message["References"] = f"<{in_reply_to}>"
    message.set_content(body)
    if attachment is not None:
        filename, content, subtype = attachment
        message.add_attachment(content, maintype="application", subtype=subtype, filename=filename)
    return message.as_bytes()


def _dated_back(case: Case, at: dt.datetime) -> None:
    """What intake and sending wrote just now on ``case`` happened at ``at``, and was sent."""
    OutboundMessage.objects.filter(case=case, status=OutboundStatus.QUEUED).update(
        status=OutboundStatus.SENT, created_at=at, sent_at=at
    )


def demo_mail_received(
    run: DemoRun,
    contact: Contact,
    subject: str,
    at: dt.datetime,
    *,
    body: str = "",
    in_reply_to: str = "",
    attachment: tuple[str, bytes, str] | None = None,
) -> InboundMessage:
    """A customer's mail taken in at ``at``: a new case with its acknowledgement, or a reply."""
    text = body or run.rng.choice(QUESTIONS).format(name=contact.name)
    raw = demo_raw_mail(contact, subject, text, at, in_reply_to=in_reply_to, attachment=attachment)
    message = mail_receive(raw=raw, source="demo", received_at=at, inline=True).message
    if message.case is not None:
        # The acknowledgement went out a minute after the mail came in.
        _dated_back(message.case, at + dt.timedelta(minutes=1))
    return message


def demo_staff_reply(
    run: DemoRun, case: Case, worker: AbstractBaseUser, at: dt.datetime
) -> OutboundMessage:
    """``worker`` answers the case's latest mail at ``at``, with their signature."""
    contact = case.contact
    name = contact.name if contact is not None else ""
    body = run.rng.choice(ANSWERS).format(name=name) + "\n\n" + signature_of(worker, "nl")
    # The first answer is when it was written, not when the demo was made.
    clock.case_first_response(case, at)
    sent = mail_send(
        case=case,
        to=contact.email if contact is not None else settings.DEFAULT_FROM_EMAIL,
        subject=f"Re: {case.subject}",
        body_text=body,
        automatic=False,
        actor=worker,
    )
    _dated_back(case, at)
    sent.refresh_from_db()
    return sent


def demo_mail_thread(
    run: DemoRun,
    contact: Contact,
    subject: str,
    opened: dt.datetime,
    worker: AbstractBaseUser,
    *,
    answered: dt.datetime | None,
    customer_replies: bool,
    attachment: tuple[str, bytes, str] | None = None,
) -> Case:
    """A mail case: the customer's mail, the acknowledgement, a staff reply when ``answered``
    is before the demo's moment, and the customer's reply to it when ``customer_replies``."""
    message = demo_mail_received(run, contact, subject, opened, attachment=attachment)
    case = Case.objects.get(pk=message.case_id)
    if answered is None or answered >= run.now:
        return case
    sent = demo_staff_reply(run, case, worker, answered)
    replied = answered + dt.timedelta(hours=run.rng.randrange(2, 30))
    if customer_replies and replied < run.now:
        demo_mail_received(
            run,
            contact,
            f"Re: {case.subject} [{case.reference}]",
            replied,
            body=run.rng.choice(THANKS).format(name=contact.name),
            in_reply_to=sent.message_id,
        )
    case.refresh_from_db()
    return case
