"""Two people of one organisation who write in one case thread, each with data everywhere.

Zorbek Quintaal's name, address and number are planted in every place a person's data
can reach: his contact row and numbers, the case subject and description, notes, calls
and their notes, mail headers, bodies, raw originals and attachments, the acknowledgement
and the staff's reply, the change log, callbacks, the administration's history and the
organisation's notes. Wilma Brandsma shares his organisation and his thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from cases.intake.email import mail_receive
from cases.intake.outbound import mail_send
from cases.models import Case, Contact, InboundMessage, Organisation
from cases.services import CallDetails, call_log, case_open, case_update, note_add
from scheduling.models import Callback
from tests.factories import ContactFactory, OrganisationFactory
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
    *, sender: str, name: str, subject: str, body: str, mid: str, cc: str = "", reply_to: str = ""
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


def _receive(raw: bytes) -> InboundMessage:
    return mail_receive(raw=raw, source="test", inline=True).message


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
    _receive(
        mime(
            sender=WILMA_EMAIL,
            name=WILMA,
            subject="Re: vraag over Trede 2",
            body=f"Aanvulling op de vraag van Zorbek ({ZORBEK_EMAIL}): wij zijn met 40.\n{WILMA}",
            mid="wilma-1@almelo.nl",
            cc=f"{ZORBEK} <{ZORBEK_EMAIL}>",
            reply_to="zorbek-1@almelo.nl",
        )
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
    return Scene(organisation, zorbek, wilma, thread, phone_case, wilma_case)
