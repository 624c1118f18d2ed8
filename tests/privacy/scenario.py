"""Two people of one organisation who write in one case thread, each with data everywhere.

Zorbek Quintaal's name, address and number are planted in every place a person's data
can reach: his contact row and numbers, the case subject and description, notes, calls
and their notes, mail headers, bodies, raw originals and attachments, the acknowledgement
and the staff's reply, the change log, callbacks, the administration's history and the
organisation's notes; the phone system's calls and their raw events (his number as sent,
his name from Voys, a call id built from his number), a missed call nobody logged, the
block list, and a mailbox's error text naming his message. Wilma Brandsma shares his
organisation and his thread; her reply, taken in from the Microsoft 365 mailbox, quotes
him only in encoded parts (a base64 text, a quoted-printable HTML part, an RFC 2047
header, a base64 text attachment).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.intake.email import mail_receive
from cases.intake.outbound import mail_send
from cases.models import Case, Contact, InboundMessage, Organisation, PhoneCall
from cases.services import CallDetails, call_log, case_open, case_update, note_add
from mailboxes.models import Mailbox
from scheduling.models import Callback
from telephony.events import cti_event_receive
from telephony.models import BlockedNumber, Call, CallEvent, PhoneSystem
from telephony.payloads import voys_event, zammad_event
from tests.factories import ContactFactory, MailboxFactory, OrganisationFactory, PhoneSystemFactory
from tests.telephony.bridge import voys, zammad
from tests.timehelpers import local

ZORBEK = "Zorbek Quintaal"
ZORBEK_EMAIL = "zorbek.quintaal@almelo.nl"
ZORBEK_PHONE = "+31546987654"
ZORBEK_DIGITS = "546987654"
WILMA = "Wilma Brandsma"
WILMA_EMAIL = "wilma.brandsma@almelo.nl"
WILMA_PHONE = "+31546111222"
WILMA_DIGITS = "546111222"


@dataclass
class Scene:
    organisation: Organisation
    zorbek: Contact
    wilma: Contact
    thread: Case  # Zorbek's mail, Wilma's reply in it, the staff's answer to both
    phone_case: Case  # Zorbek alone, by phone
    wilma_case: Case  # Wilma alone


def mime(
    *,
    sender: str,
    name: str,
    subject: str,
    body: str,
    mid: str,
    cc: str = "",
    reply_to: str = "",
) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>"
    message["To"] = "info@pso-nederland.nl"
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = "Mon, 16 Nov 2026 09:00:00 +0100"
    message["Message-ID"] = f"<{mid}>"
    if reply_to:
        message["In-Reply-To"] = f"<{reply_to}>"
    message.set_content(body)
    message.add_attachment(
        f"Verslag van {name}, {sender}\n".encode(),
        maintype="text",
        subtype="plain",
        filename=f"verslag-{name.split()[0].lower()}.txt",
    )
    return message.as_bytes()


WILMA_BODY = f"Aanvulling op de vraag van Zorbek ({ZORBEK_EMAIL}): wij zijn met 40.\n{WILMA}\n"
WILMA_REPORT = f"Verslag van {WILMA}, {WILMA_EMAIL}\nGesprek met {ZORBEK} over de audit.\n"


def _b64(text: str) -> str:
    return base64.encodebytes(text.encode()).decode().replace("\n", "\r\n")


def wilma_reply() -> bytes:
    """Wilma's reply as her mail program wrote it: Zorbek only in encoded form, besides his
    address in Cc — base64 text, quoted-printable HTML split by soft line breaks, RFC 2047
    words in the headers, a base64 text attachment."""
    return (
        f"From: {WILMA} <{WILMA_EMAIL}>\r\n"
        "To: info@pso-nederland.nl\r\n"
        f"Cc: =?utf-8?q?Zorbek_Quintaal?= <{ZORBEK_EMAIL}>\r\n"
        "Subject: Re: vraag over Trede 2 van =?utf-8?b?Wm9yYmVrIFF1aW50YWFs?=\r\n"
        "Date: Mon, 16 Nov 2026 09:30:00 +0100\r\n"
        "Message-ID: <wilma-1@almelo.nl>\r\n"
        "In-Reply-To: <zorbek-1@almelo.nl>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n'
        '--b2\r\nContent-Type: text/plain; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{_b64(WILMA_BODY)}\r\n"
        '--b2\r\nContent-Type: text/html; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        "<p>Zor=\r\nbek Quin=74aal schreef: bel mij op 0546=2D98 76 54.</p>\r\n"
        "--b2--\r\n"
        '--b1\r\nContent-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="verslag-wilma.txt"\r\n\r\n'
        f"{_b64(WILMA_REPORT)}\r\n"
        "--b1--\r\n"
    ).encode()


def _receive(raw: bytes, source: str = "test", key: str = "") -> InboundMessage:
    return mail_receive(raw=raw, source=source, esp_event_id=key, inline=True).message


def plant(staff_user) -> Scene:
    organisation = OrganisationFactory(
        name="Gemeente Almelo", notes=f"Vaste contactpersoon: {ZORBEK}, bel {ZORBEK_PHONE}."
    )
    organisation.email_domains = "almelo.nl"
    organisation.save()
    zorbek = ContactFactory(
        name=ZORBEK,
        email=ZORBEK_EMAIL,
        job_title="Beleidsmedewerker",
        organisation=organisation,
        phone=ZORBEK_PHONE,
    )
    wilma = ContactFactory(
        name=WILMA, email=WILMA_EMAIL, organisation=organisation, phone=WILMA_PHONE
    )

    first = _receive(
        mime(
            sender=ZORBEK_EMAIL,
            name=ZORBEK,
            subject=f"Vraag van {ZORBEK} over Trede 2",
            body=f"Goedemorgen,\n\nBel mij op 0546-98 76 54.\n\nGroet, {ZORBEK}",
            mid="zorbek-1@almelo.nl",
            cc=f"{WILMA} <{WILMA_EMAIL}>",
        )
    )
    thread = first.case
    mailbox = MailboxFactory(
        name="info", kind="graph", auth="microsoft", tenant_id="t", client_id="c"
    )
    _receive(wilma_reply(), source=mailbox.source, key=GRAPH_KEY)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        problem="store",
        problem_at=local(2026, 11, 16, 9),
        problem_detail=(
            "graph/AAMkAGQ5: IntegrityError: duplicate key (message_id)=(zorbek-1@almelo.nl) "
            f"from {ZORBEK_EMAIL}"
        ),
    )
    mail_send(
        case=thread,
        to=[ZORBEK_EMAIL, WILMA_EMAIL],
        subject="Uw vraag over Trede 2",
        body_text=f"Beste {ZORBEK} en {WILMA},\n\nHierbij ons antwoord.",
        automatic=False,
        actor=staff_user,
    )
    note_add(case=thread, author=staff_user, body=f"{ZORBEK} belt morgen terug; Wilma weet het.")

    phone_case = case_open(
        subject=f"Terugbelverzoek {ZORBEK}",
        description=f"{ZORBEK} ({ZORBEK_EMAIL}) vraagt om terugbellen op 0546 987654.",
        channel="phone",
        contact=zorbek,
        actor=staff_user,
        created_at=local(2026, 11, 16, 10),
    )
    call_log(
        case=phone_case,
        actor=staff_user,
        call=CallDetails(
            number=ZORBEK_PHONE,
            started_at=local(2026, 11, 16, 10),
            duration=dt.timedelta(minutes=4),
            notes=f"{ZORBEK} wil weten wanneer de audit is.",
        ),
    )
    note_add(case=phone_case, author=staff_user, body=f"Mail gestuurd naar {ZORBEK_EMAIL}.")
    case_update(case=phone_case, actor=staff_user, subject=f"Audit voor {ZORBEK}")
    Callback.objects.create(
        case=phone_case,
        number=ZORBEK_PHONE,
        slot_start=local(2026, 11, 17, 9),
        slot_minutes=15,
        outcome_notes=f"{ZORBEK} niet bereikt",
        created_at=local(2026, 11, 16, 10),
    )
    LogEntry.objects.create(
        user=staff_user,
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=str(zorbek.pk),
        object_repr=ZORBEK,
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["{ZORBEK}"]}}}}]',
    )

    _plant_phone_system(phone_case, staff_user)

    wilma_case = case_open(
        subject=f"Vraag van {WILMA}",
        description=f"{WILMA} belde vanaf 0546 111 222.",
        channel="phone",
        contact=wilma,
        actor=staff_user,
        created_at=local(2026, 11, 16, 11),
    )
    call_log(
        case=wilma_case,
        actor=staff_user,
        call=CallDetails(number=WILMA_PHONE, started_at=local(2026, 11, 16, 11), notes=WILMA),
    )
    _phone_system_call(
        wilma_case.calls.get(), f"wilma-{WILMA_DIGITS}", "0546111222", caller_name=WILMA
    )
    return Scene(organisation, zorbek, wilma, thread, phone_case, wilma_case)


#: The Microsoft 365 mailbox's key of Wilma's reply (an immutable id: no personal data).
GRAPH_KEY = "graph/AAMkAGQ5ZjM2LTE1NmEtNDk0Yi05YjUyLTEwOGQ5ZTgzYTE2MgBGAAAAAAD"


def _system():
    return PhoneSystem.objects.first() or PhoneSystemFactory(book_missed_callbacks=False)


def _phone_system_call(call: PhoneCall, call_id: str, caller: str, *, caller_name: str) -> Call:
    """The phone system's record of a logged call: Zammad's events, then Voys's name."""
    system = _system()
    now = timezone.now()
    for event in ("newCall", "answer", "hangup"):
        data = zammad(event, call_id, caller=caller)
        cti_event_receive(system=system, event=zammad_event(data), payload=data, now=now)
    record = Call.objects.get(call_id=call_id)
    CallEvent.objects.filter(call=record, kind="newCall").update(
        payload={**zammad("newCall", call_id, caller=caller), "caller": {"name": caller_name}}
    )
    Call.objects.filter(pk=record.pk).update(phone_call=call)
    return record


def _plant_phone_system(phone_case: Case, staff_user) -> None:
    _phone_system_call(
        phone_case.calls.get(), f"zorbek-{ZORBEK_DIGITS}", "0546987654", caller_name=ZORBEK
    )
    # A missed call nobody logged (the system books no callbacks), from Voys with his name.
    system = _system()
    for status in ("ringing", "ended"):
        data = voys(status, "v-zorbek-missed", caller="+31 546 98 76 54")
        data["caller"]["name"] = ZORBEK
        event = voys_event(data, now=timezone.now())
        cti_event_receive(system=system, event=event, payload=data, now=timezone.now())
    BlockedNumber.objects.create(number=ZORBEK_PHONE, note=f"{ZORBEK} belt elk uur")
