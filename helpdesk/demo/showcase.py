"""The demo cases that show the workspace: a mail with an attachment, an urgent mail that is
late, a case waiting on the customer, a merged pair; canned answers and signatures.

Each is made through the services real work uses (mail intake, replies, the merge). At the
end, the warnings about cases that were already late before the demo started are recorded
as given, so starting the demo mails nobody a burst of old warnings.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services
from cases.models import (
    CannedAnswer,
    Case,
    Channel,
    Contact,
    Signature,
    Status,
)
from helpdesk.demo.mail import demo_mail_received, demo_mail_thread, demo_staff_reply
from helpdesk.demo.run import DemoRun
from scheduling.callbacks.merging import cases_merge
from scheduling.models import SlaWarning, SlaWarningKind

#: How many of the demo's cases this module makes (taken from the total).
SHOWCASE_CASES = 5

CANNED_ANSWERS = (
    (
        "aspirant",
        "Aspirant-status aanvragen",
        "Beste {naam},\n\nDe Aspirant-status vraagt u aan via mijnpso.nl: vul de zelfscan in "
        "en dien de aanvraag in. U hoort binnen vijf werkdagen van ons.\n\nUw zaak: {zaak}.",
        "Dear {naam},\n\nYou apply for the Aspirant status on mijnpso.nl: complete the self "
        "scan and submit the application. You will hear from us within five working days."
        "\n\nYour case: {zaak}.",
    ),
    (
        "terugbellen",
        "Wij bellen u terug",
        "Beste {naam},\n\nWij bellen u terug tijdens onze telefonische openingstijden "
        "({telefoonuren}).\n\nUw zaak: {zaak}.",
        "Dear {naam},\n\nWe will call you back during our phone hours ({telefoonuren})."
        "\n\nYour case: {zaak}.",
    ),
    (
        "ontvangen",
        "Vraag ontvangen, antwoord volgt",
        "Beste {naam},\n\nWij hebben uw vraag ontvangen en antwoorden uiterlijk "
        "{antwoord_uiterlijk}.\n\nUw zaak: {zaak}.",
        "Dear {naam},\n\nWe received your question and will answer by {antwoord_uiterlijk}."
        "\n\nYour case: {zaak}.",
    ),
    (
        "factuur",
        "Vraag over de factuur",
        "Beste {naam},\n\nDe factuur voor de beoordeling ontvangt u na afronding van de "
        "audit. Hebt u een inkoopnummer? Stuur het ons, dan zetten wij het op de factuur.",
        "",
    ),
)

#: A small PDF, as a customer's KvK extract would arrive.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


#: The helpdesk's signature with the organisation's details (Marco has none of his own).
HELPDESK_SIGNATURE_NL = (
    "Met vriendelijke groet,\n\n{naam}\nHelpdesk PSO Nederland\n"
    "Prestatieladder Socialer Ondernemen\nPostbus 1234, 2500 AA Den Haag\n"
    "Telefonisch bereikbaar maandag t/m donderdag 08:30–12:30 · www.pso-nederland.nl"
)
HELPDESK_SIGNATURE_EN = (
    "Kind regards,\n\n{naam}\nPSO Netherlands helpdesk\n"
    "Performance Ladder for Social Entrepreneurship\nPO Box 1234, 2500 AA The Hague\n"
    "By phone Monday to Thursday 08:30–12:30 · www.pso-nederland.nl"
)


def demo_replies_ready(run: DemoRun) -> None:
    """The canned answers managers keep, the helpdesk's signature, and Sanne's own
    signature (Marco's replies carry the helpdesk's)."""
    for short_name, title, body_nl, body_en in CANNED_ANSWERS:
        CannedAnswer.objects.update_or_create(
            short_name=short_name, defaults={"title": title, "body_nl": body_nl, "body_en": body_en}
        )
    services.helpdesk_signature_update(
        text_nl=HELPDESK_SIGNATURE_NL, text_en=HELPDESK_SIGNATURE_EN, actor=run.manager
    )
    Signature.objects.update_or_create(
        user=run.staff,
        defaults={
            "text": "Met vriendelijke groet,\n\nSanne de Vries\nHelpdesk PSO Nederland\n"
            "Telefonisch bereikbaar ma–do 08:30–12:30"
        },
    )


def _working_days_back(run: DemoRun, days: int, at: dt.time) -> dt.datetime:
    day = run.today
    while days:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return dt.datetime.combine(day, at, tzinfo=run.zone).astimezone(dt.UTC)


def demo_showcase(run: DemoRun, people: list[tuple[object, Contact, str]]) -> list[Case]:
    """The :data:`SHOWCASE_CASES` cases that show each feature, from organisations' contacts."""
    known = [(contact, number) for org, contact, number in people if org is not None]
    attach_to, urgent_from, waiting_on = known[0][0], known[3][0], known[6][0]
    pair_of, pair_number = known[9]
    staff = run.staff
    made = []

    # A mail with a KvK extract attached, answered by Sanne, and thanked for.
    made.append(
        demo_mail_thread(
            run,
            attach_to,
            "KvK-uittreksel voor de aanvraag Trede 1",
            _working_days_back(run, 4, dt.time(9, 12)),
            staff,
            answered=_working_days_back(run, 3, dt.time(10, 40)),
            customer_replies=True,
            attachment=("uittreksel-kvk.pdf", PDF, "pdf"),
        )
    )
    # An urgent mail ("spoed" in the subject) nobody answered: a working day late.
    urgent = demo_mail_received(
        run,
        urgent_from,
        "Spoed: PSO-certificaat nodig voor aanbesteding",
        _working_days_back(run, 2, dt.time(8, 55)),
    )
    made.append(Case.objects.get(pk=urgent.case_id))
    # Answered with a question; the case waits on the customer, so its clock is paused.
    waiting = demo_mail_thread(
        run,
        waiting_on,
        "Aspirant-status: welke stukken moeten wij nog sturen?",
        _working_days_back(run, 6, dt.time(14, 5)),
        staff,
        answered=_working_days_back(run, 5, dt.time(9, 30)),
        customer_replies=False,
    )
    services.case_update(
        case=waiting,
        actor=staff,
        status=Status.WAITING,
        at=_working_days_back(run, 5, dt.time(9, 31)),
    )
    made.append(waiting)
    # The same question by phone and by mail: merged, the mail case into the call's.
    phoned_at = _working_days_back(run, 3, dt.time(9, 5))
    phoned = services.case_open(
        subject="Hercertificering Trede 2",
        channel=Channel.PHONE,
        actor=staff,
        contact=pair_of,
        assignee=staff,
        created_at=phoned_at,
    )
    services.call_log(
        case=phoned,
        actor=staff,
        call=services.CallDetails(
            number=pair_number,
            started_at=phoned_at,
            duration=dt.timedelta(minutes=6),
            notes="Vraagt wanneer de hercertificering moet; stuurt de stukken per mail.",
        ),
    )
    mailed = demo_mail_thread(
        run,
        pair_of,
        "Stukken voor de hercertificering Trede 2",
        phoned_at + dt.timedelta(hours=3),
        staff,
        answered=None,
        customer_replies=False,
    )
    demo_staff_reply(run, phoned, staff, phoned_at + dt.timedelta(days=1, hours=1))
    cases_merge(source=mailed, target=phoned, actor=staff)
    made += [phoned, mailed]
    for case in made:
        case.refresh_from_db()
    return made


def demo_old_warnings_recorded(run: DemoRun) -> int:
    """Record the warnings of cases already past their due time as given (to nobody).

    The five-minute warning job mails a warning once per case (its ``SlaWarning`` row is
    the claim); without these rows its first run after the demo starts would mail the
    demo accounts about every case that was late long before. Returns the rows written.
    """
    late = Case.objects.filter(
        status__in=[Status.NEW, Status.OPEN],
        first_response_at__isnull=True,
        sla_paused_since__isnull=True,
        due_at__lte=run.now,
    ).values_list("pk", "due_at")
    rows = [
        SlaWarning(case_id=pk, kind=kind, due_at=due, sent_at=timezone.now(), recipients="")
        for pk, due in late
        for kind in (SlaWarningKind.APPROACHING, SlaWarningKind.BREACHED)
    ]
    SlaWarning.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
