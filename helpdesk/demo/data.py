"""Demo data: a believable helpdesk to click through, made through the same services as real work.

About 50 organisations on every rung of the PSO ladder (Almelo at Trede 3, some
with a history of several steps, a few whose status ends soon), their contacts,
about 300 cases over the last three months with calls (some outside phone
hours), notes and status changes, and two demo accounts. The same seed gives the
same data for the same day. Running it again changes nothing: the marker
organisation says the demo data is there.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import (
    CallDirection,
    CallOutcome,
    Case,
    Category,
    Channel,
    Contact,
    Organisation,
    OrganisationKind,
    PhoneNumber,
    Priority,
    PsoLevel,
    Status,
)
from cases.phones import normalise
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.errors import CallbackOutcome
from scheduling.callbacks.queue import callback_record_outcome
from staff.roles import MANAGER_GROUP, STAFF_GROUP

ZONE = ZoneInfo("Europe/Amsterdam")
#: The marker organisation: when it exists, the demo data is there.
MARKER_KVK = "06012026"
MARKER_NAME = "Gemeente Almelo"
CASE_COUNT = 300
DAYS_BACK = 90


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    group: str
    is_staff: bool


#: Fixed demo log-ins, printed by ``manage.py seed_demo``. For demonstrations only.
ACCOUNTS = (
    DemoAccount("sanne", "pso-demo-sanne", "Sanne", "de Vries", STAFF_GROUP, False),
    DemoAccount("marco", "pso-demo-marco", "Marco", "Jansen", MANAGER_GROUP, True),
)


@dataclass(frozen=True)
class DemoResult:
    created: bool
    organisations: int
    cases: int
    accounts: tuple[DemoAccount, ...]


# (name, kind, city, area code, domain, ladder). The ladder is the history as
# (level, years ago it started); the last step is the status today.
Ladder = tuple[tuple[str, float], ...]
A, T1, T2, T3, NONE = (
    PsoLevel.ASPIRANT,
    PsoLevel.TREDE_1,
    PsoLevel.TREDE_2,
    PsoLevel.TREDE_3,
    PsoLevel.NONE,
)
M, C, SW, P, OTHER = (
    OrganisationKind.MUNICIPALITY,
    OrganisationKind.COMPANY,
    OrganisationKind.SW_COMPANY,
    OrganisationKind.PUBLIC,
    OrganisationKind.OTHER,
)

ORGANISATIONS: tuple[tuple[str, str, str, str, str, Ladder], ...] = (
    (MARKER_NAME, M, "Almelo", "0546", "almelo.nl", ((A, 6.5), (T1, 5), (T2, 3.2), (T3, 1.4))),
    ("Gemeente Enschede", M, "Enschede", "053", "enschede.nl", ((T1, 4), (T2, 2))),
    ("Gemeente Hengelo", M, "Hengelo", "074", "hengelo.nl", ((A, 3), (T1, 1.5))),
    ("Gemeente Borne", M, "Borne", "074", "borne.nl", ((A, 1.2),)),
    ("Gemeente Oldenzaal", M, "Oldenzaal", "0541", "oldenzaal.nl", ((T2, 2.9),)),
    ("Gemeente Twenterand", M, "Vroomshoop", "0546", "twenterand.nl", ()),
    ("Gemeente Wierden", M, "Wierden", "0546", "wierden.nl", ((T1, 2.2),)),
    ("Gemeente Rijssen-Holten", M, "Rijssen", "0548", "rijssen-holten.nl", ((A, 2.5), (T1, 0.8))),
    ("Gemeente Hellendoorn", M, "Nijverdal", "0548", "hellendoorn.nl", ()),
    ("Gemeente Tubbergen", M, "Tubbergen", "0546", "tubbergen.nl", ((A, 0.4),)),
    ("Gemeente Dinkelland", M, "Denekamp", "0541", "dinkelland.nl", ((T1, 2.95),)),
    ("Gemeente Losser", M, "Losser", "053", "losser.nl", ()),
    ("Gemeente Haaksbergen", M, "Haaksbergen", "053", "haaksbergen.nl", ((A, 1.9),)),
    ("Gemeente Hof van Twente", M, "Goor", "074", "hofvantwente.nl", ((T2, 1),)),
    ("Gemeente Deventer", M, "Deventer", "0570", "deventer.nl", ((T1, 5), (T2, 3), (T3, 0.6))),
    ("Gemeente Zwolle", M, "Zwolle", "038", "zwolle.nl", ((T2, 2.96),)),
    ("Gemeente Apeldoorn", M, "Apeldoorn", "055", "apeldoorn.nl", ((A, 1),)),
    ("Werkbedrijf Twente-Noord", SW, "Almelo", "0546", "werkbedrijftwentenoord.nl", ((T3, 2),)),
    ("SW-bedrijf Salland Werkt", SW, "Deventer", "0570", "sallandwerkt.nl", ((T2, 4), (T3, 1.1))),
    ("Sociaal Werkbedrijf De Kolk", SW, "Hengelo", "074", "dekolk-werkt.nl", ((T2, 1.7),)),
    ("Werkplein Oost Groep", SW, "Enschede", "053", "werkpleinoost.nl", ((T1, 2.97),)),
    ("Leerwerkbedrijf IJsselvallei", SW, "Zwolle", "038", "ijsselvallei-werkt.nl", ((T3, 0.3),)),
    ("Bouwbedrijf Ter Horst", C, "Enschede", "053", "terhorstbouw.nl", ((A, 2.2), (T1, 0.2))),
    ("Installatietechniek Nijhuis", C, "Rijssen", "0548", "nijhuis-installatie.nl", ((T1, 1),)),
    ("Drukkerij Het Oosten", C, "Almelo", "0546", "drukkerijhetoosten.nl", ((A, 1.9),)),
    ("Groenvoorziening Van Dijk", C, "Hengelo", "074", "vandijkgroen.nl", ((T2, 2),)),
    ("Schoonmaakbedrijf Twentestad", C, "Enschede", "053", "twentestadschoon.nl", ((T1, 3),)),
    ("Transport Kamphuis", C, "Wierden", "0546", "kamphuistransport.nl", ()),
    ("ICT Dienstverlening Noord-Oost", C, "Zwolle", "038", "ictnoordoost.nl", ((A, 0.7),)),
    ("Catering De Smaak", C, "Deventer", "0570", "desmaak-catering.nl", ()),
    ("Metaalbewerking Oude Elferink", C, "Tubbergen", "0546", "oude-elferink.nl", ((T1, 2.1),)),
    ("Accountantskantoor Brouwer", C, "Apeldoorn", "055", "brouwer-accountants.nl", ()),
    ("Textielfabriek Vos", C, "Oldenzaal", "0541", "vostextiel.nl", ((A, 3), (T1, 1), (T2, 0.1))),
    ("Meubelmakerij Dekker", C, "Nijverdal", "0548", "dekkermeubel.nl", ((A, 1.95),)),
    ("Bakkerij Mulder", C, "Borne", "074", "bakkerijmulder.nl", ()),
    ("Logistiek Centrum Twente", C, "Hengelo", "074", "lctwente.nl", ((T2, 0.9),)),
    ("Hoveniersbedrijf De Groot", C, "Losser", "053", "degroothoveniers.nl", ()),
    ("Autobedrijf Bakker", C, "Almelo", "0546", "autobakker.nl", ((A, 0.2),)),
    ("Ingenieursbureau Smit", C, "Zwolle", "038", "smit-ingenieurs.nl", ((T1, 4), (T3, 1.5))),
    ("Energie Coöperatie Salland", C, "Deventer", "0570", "energiesalland.nl", ()),
    ("Stichting Zorggroep Twente", P, "Almelo", "0546", "zorggroeptwente.nl", ((T1, 2.5),)),
    ("Woningcorporatie Oost Wonen", P, "Enschede", "053", "oostwonen.nl", ((A, 2), (T2, 0.5))),
    ("Vakschool Twente", P, "Hengelo", "074", "vakschooltwente.nl", ((T1, 1.3),)),
    ("Waterschap Dinkel en Regge", P, "Almelo", "0546", "dinkelregge.nl", ((T2, 2.98),)),
    ("Provinciehuis Oost (dienst)", P, "Zwolle", "038", "provincie-oost.nl", ()),
    ("Stichting Sportbedrijf Hengelo", OTHER, "Hengelo", "074", "sportbedrijfhengelo.nl", ()),
    ("Kringloop Twente", OTHER, "Enschede", "053", "kringlooptwente.nl", ((A, 1.5),)),
    ("Muziekcentrum Salland", OTHER, "Deventer", "0570", "muziekcentrumsalland.nl", ()),
    ("Stichting Buurtwerk Apeldoorn", OTHER, "Apeldoorn", "055", "buurtwerkapeldoorn.nl", ()),
    ("Zelfscan Bedrijf Ter Steege", C, "Haaksbergen", "053", "tersteege.nl", ((NONE, 0.3),)),
)

#: Certificates last three years, so a Trede that started 2.9 or more years ago (or an
#: Aspirant status 1.9 or more years ago) ends within 60 days and is flagged.
CERTIFICATE_YEARS = 3

FIRST_NAMES = (
    "Anke", "Bram", "Daan", "Eva", "Fleur", "Henk", "Ilse", "Joost", "Karin", "Lotte",
    "Mark", "Marieke", "Niels", "Petra", "Ruud", "Sanne", "Sven", "Tessa", "Wouter", "Yvonne",
)  # fmt: skip
LAST_NAMES = (
    "Bakker", "Bos", "Brouwer", "de Boer", "de Groot", "Dekker", "Hendriks", "Jansen",
    "Kamphuis", "Meijer", "Mulder", "Nijhuis", "Oude Elferink", "Peters", "Smit",
    "ter Horst", "van Leeuwen", "Visser", "Vos", "de Vries",
)  # fmt: skip
JOB_TITLES = (
    "HR-adviseur", "Beleidsmedewerker werk en inkomen", "Inkoper", "Directeur",
    "Adviseur social return", "Office manager", "Teamleider P&O", "Controller",
)  # fmt: skip

#: Subjects per category slug (see cases/migrations/0002_default_categories.py).
SUBJECTS = {
    "selfscan": (
        "Vraag over de zelfscan op mijnpso.nl",
        "Zelfscan ingevuld, wat is de volgende stap?",
        "Inloggen op mijnpso.nl lukt niet",
    ),
    "aspirant": (
        "Aanvraag Aspirant-status",
        "Welke documenten zijn nodig voor de Aspirant-status?",
        "Aspirant-status verloopt binnenkort, hoe verder?",
    ),
    "trede": (
        "Van Aspirant naar Trede 1",
        "Vraag over de berekening van de Trede",
        "Hercertificering Trede 2",
        "Hoe bereiken wij Trede 3?",
    ),
    "assessment": (
        "Afspraak voor de audit plannen",
        "Vragen over de herbeoordeling",
        "Uitslag van de beoordeling",
    ),
    "keten": (
        "Telt inkoop bij een SW-bedrijf mee?",
        "Ketenstimulering: welke leveranciers tellen mee?",
    ),
    "sroi": (
        "PSO-certificaat als bewijs voor social return",
        "Social return-eis in aanbesteding",
    ),
    "invoice": ("Vraag over de factuur", "Factuur niet ontvangen", "Betalingsherinnering"),
    "other": ("Algemene vraag over de PSO", "Wijziging contactpersoon", "Logo PSO gebruiken"),
}
NOTES = (
    "Teruggebeld, uitleg gegeven over de stappen.",
    "Documentatie per mail nagestuurd.",
    "Klant stuurt de gegevens voor het einde van de week.",
    "Doorgezet naar de auditor voor een inhoudelijk antwoord.",
    "Afspraak gemaakt voor een toelichting.",
    "Voicemail ingesproken.",
)


def _account(spec: DemoAccount) -> AbstractBaseUser:
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        user = user_model.objects.create_user(
            spec.username,
            password=spec.password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@pso-nederland.nl",
            is_staff=spec.is_staff,
        )
    user.groups.add(Group.objects.get(name=spec.group))
    return user


def demo_present() -> bool:
    return Organisation.objects.filter(kvk_number=MARKER_KVK).exists()


def seed_demo(
    *, seed: int = 2026, now: dt.datetime | None = None, cases: int = CASE_COUNT
) -> DemoResult:
    """Create the demo helpdesk unless it is there already (then only the accounts are ensured)."""
    with transaction.atomic():
        users = [_account(spec) for spec in ACCOUNTS]
        if demo_present():
            return DemoResult(False, Organisation.objects.count(), Case.objects.count(), ACCOUNTS)
        _Seeder(random.Random(seed), now or timezone.now(), users).run(cases)
    return DemoResult(True, Organisation.objects.count(), Case.objects.count(), ACCOUNTS)


#: Callbacks still to be made when the demo starts.
QUEUED_CALLBACKS = 8


class _Seeder:
    def __init__(self, rng: random.Random, now: dt.datetime, users: list) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.users = users
        self.kvk_used = {MARKER_KVK}
        self.categories = {c.slug: c for c in Category.objects.all()}

    def run(self, case_count: int) -> None:
        people: list[tuple[Organisation | None, Contact, str]] = []
        for name, kind, city, area, domain, ladder in ORGANISATIONS:
            org = self.organisation(name, kind, city, area, domain)
            self.history(org, ladder)
            for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
                contact, number = self.contact(org, area, domain)
                people.append((org, contact, number))
        # A few people call without an organisation the helpdesk knows.
        for _ in range(4):
            contact, number = self.contact(None, "06", "")
            people.append((None, contact, number))
        waiting = min(QUEUED_CALLBACKS, case_count)
        for _ in range(case_count - waiting):
            self.case(*self.rng.choice(people))
        # The morning queue has work waiting: callers from the last hours.
        for _ in range(waiting):
            self.waiting_caller(*self.rng.choice(people))

    # --- Organisations --------------------------------------------------------------------

    def kvk(self) -> str:
        while True:
            number = f"{self.rng.randrange(10_000_000, 99_999_999)}"
            if number not in self.kvk_used:
                self.kvk_used.add(number)
                return number

    def phone(self, area: str) -> str:
        if area == "06":
            return "06" + "".join(str(self.rng.randrange(10)) for _ in range(8))
        return area + "".join(str(self.rng.randrange(10)) for _ in range(10 - len(area)))

    def organisation(self, name: str, kind: str, city: str, area: str, domain: str):
        org = Organisation(
            name=name,
            kind=kind,
            city=city,
            kvk_number=MARKER_KVK if name == MARKER_NAME else self.kvk(),
            website=f"https://www.{domain}",
            email_domains=domain,
        )
        org.full_clean()
        org.save()
        PhoneNumber.objects.create(
            organisation=org, number=normalise(self.phone(area)), label="algemeen"
        )
        return org

    def history(self, org: Organisation, ladder: Ladder) -> None:
        """Record the ladder: each step ends the day before the next one starts."""
        for index, (level, years_ago) in enumerate(ladder):
            start = self.today - dt.timedelta(days=round(years_ago * 365.25))
            following = ladder[index + 1] if index + 1 < len(ladder) else None
            if following is not None:
                until = self.today - dt.timedelta(days=round(following[1] * 365.25) + 1)
            elif level in (T1, T2, T3):
                until = start + dt.timedelta(days=round(CERTIFICATE_YEARS * 365.25))
            else:
                until = None  # Aspirant: the two-year default; none: open
            reference = ""
            if level != NONE:
                reference = f"PSO-{start.year}-{self.rng.randrange(1000, 9999)}"
            services.pso_status_record(
                organisation=org,
                level=level,
                effective_from=start,
                valid_until=until,
                reference=reference,
                note="Zelfscan ingevuld op mijnpso.nl." if level == NONE else "",
            )

    def contact(self, org: Organisation | None, area: str, domain: str) -> tuple[Contact, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace(" ", "")
        email = f"{local}@{domain}" if domain else f"{local}@example.nl"
        contact = Contact.objects.create(
            name=f"{first} {last}",
            email=email,
            organisation=org,
            job_title=self.rng.choice(JOB_TITLES) if org else "",
        )
        number = normalise(self.phone("06" if self.rng.random() < 0.5 else area))
        PhoneNumber.objects.create(contact=contact, number=number)
        return contact, number

    # --- Cases ------------------------------------------------------------------------------

    def moment(self, day: dt.date, start: dt.time, end: dt.time) -> dt.datetime:
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        offset = self.rng.randrange(max(minutes, 1))
        local = dt.datetime.combine(day, start, tzinfo=ZONE) + dt.timedelta(minutes=offset)
        return local.astimezone(dt.UTC)

    def working_day(self) -> dt.date:
        while True:
            day = self.today - dt.timedelta(days=self.rng.randrange(1, DAYS_BACK))
            if day.weekday() < 5 or self.rng.random() < 0.05:
                return day

    def case(self, org: Organisation | None, contact: Contact, number: str) -> None:
        rng = self.rng
        staff, manager = self.users
        slug = rng.choice(list(SUBJECTS))
        channel = rng.choices([Channel.PHONE, Channel.EMAIL, Channel.WEB], weights=[6, 3.5, 0.5])[0]
        day = self.working_day()
        # Calls on a Friday, or in an afternoon, come in outside phone hours.
        out_of_hours = channel == Channel.PHONE and (rng.random() < 0.15 or day.weekday() > 3)
        if out_of_hours:
            opened = self.moment(day, dt.time(8, 0), dt.time(16, 45))
            if day.weekday() <= 3 and timezone.localtime(opened, ZONE).time() < dt.time(12, 30):
                opened = self.moment(day, dt.time(13, 0), dt.time(16, 45))
        elif channel == Channel.PHONE:
            opened = self.moment(day, dt.time(8, 30), dt.time(12, 25))
        else:
            opened = self.moment(day, dt.time(7, 30), dt.time(21, 0))
        assignee = rng.choice([staff, staff, staff, manager, None])
        case = services.case_open(
            subject=rng.choice(SUBJECTS[slug]),
            channel=channel,
            actor=staff,
            organisation=org,
            contact=contact,
            category=self.categories.get(slug),
            priority=Priority.URGENT if rng.random() < 0.1 else Priority.NORMAL,
            description="",
            assignee=assignee,
            created_at=opened,
        )
        worker = assignee or staff
        if channel == Channel.PHONE:
            services.call_log(
                case=case,
                actor=staff,
                call=services.CallDetails(
                    number=number,
                    started_at=opened,
                    duration=dt.timedelta(minutes=rng.randrange(2, 15)),
                    outcome=CallOutcome.MESSAGE if out_of_hours else CallOutcome.ANSWERED,
                    notes="Buiten de telefonische openingstijden: terugbelverzoek."
                    if out_of_hours
                    else "",
                ),
            )
        answered = opened + dt.timedelta(hours=rng.randrange(1, 30))
        if out_of_hours:
            answered = self.callback(case, worker, number, opened)
        elif channel != Channel.PHONE and rng.random() < 0.25:
            answered = self.next_phone_slot(opened)
            if answered < self.now:
                services.call_log(
                    case=case,
                    actor=worker,
                    call=services.CallDetails(
                        number=number,
                        started_at=answered,
                        duration=dt.timedelta(minutes=rng.randrange(3, 20)),
                        direction=CallDirection.OUTBOUND,
                    ),
                )
        if answered < self.now and rng.random() < 0.6:
            services.note_add(
                case=case,
                author=worker,
                body=rng.choice(NOTES),
                at=answered + dt.timedelta(minutes=5),
            )
        self.progress(case, worker, answered)

    def waiting_caller(self, org: Organisation | None, contact: Contact, number: str) -> None:
        """A call of the last hours whose callback is still to be made."""

        staff, _manager = self.users
        opened = self.now - dt.timedelta(minutes=self.rng.randrange(5, 900))
        case = services.case_open(
            subject=self.rng.choice(SUBJECTS[self.rng.choice(list(SUBJECTS))]),
            channel=Channel.PHONE,
            actor=staff,
            organisation=org,
            contact=contact,
            created_at=opened,
        )
        services.call_log(
            case=case,
            actor=staff,
            call=services.CallDetails(
                number=number,
                started_at=opened,
                duration=dt.timedelta(minutes=self.rng.randrange(2, 8)),
                outcome=CallOutcome.CALLBACK,
                notes="Wil graag teruggebeld worden.",
            ),
        )
        callback_schedule(
            case=case, number=number, actor=staff, requested_by_caller=True, now=opened
        )

    def callback(self, case: Case, worker, number: str, opened: dt.datetime) -> dt.datetime:
        """Book the out-of-hours caller's callback; past ones were mostly made.

        Most are made within their slot, some later that morning, a few needed a
        second try, and a few of the last days are still waiting (the overdue part
        of the morning queue). Returns when the caller was reached (or would be).
        """
        rng = self.rng
        staff, _manager = self.users
        callback = callback_schedule(case=case, number=number, actor=staff, now=opened)
        made = callback.slot_start + dt.timedelta(minutes=rng.choice((3, 8, 12, 40, 75)))
        if made >= self.now or (self.now - made < dt.timedelta(days=4) and rng.random() < 0.3):
            return made
        if rng.random() < 0.2:
            callback = callback_record_outcome(
                callback=callback, actor=worker, outcome=CallbackOutcome.NO_ANSWER, now=made
            ).callback
            made = callback.slot_start + dt.timedelta(minutes=rng.choice((2, 9)))
            if made >= self.now:
                return made
        callback_record_outcome(
            callback=callback, actor=worker, outcome=CallbackOutcome.REACHED, now=made
        )
        return made

    def next_phone_slot(self, after: dt.datetime) -> dt.datetime:
        """A moment in the next phone hours (Monday–Thursday 08:30–12:30) after ``after``."""
        day = timezone.localdate(after) + dt.timedelta(days=1)
        while day.weekday() > 3:
            day += dt.timedelta(days=1)
        return self.moment(day, dt.time(8, 30), dt.time(12, 0))

    def progress(self, case: Case, worker, answered: dt.datetime) -> None:
        """Older cases are mostly resolved or closed; some wait on the customer."""
        age = (self.now - case.created_at).days
        roll = self.rng.random()
        steps: list[str] = []
        if age > 14 and roll < 0.8:
            steps = [Status.RESOLVED if roll < 0.55 else Status.CLOSED]
            if roll < 0.05:
                steps = [Status.WAITING, Status.RESOLVED]
        elif age > 3 and roll < 0.25:
            steps = [Status.WAITING]
        elif age > 3 and roll < 0.3:
            steps = [Status.WAITING, Status.OPEN]
        at = max(answered, case.created_at) + dt.timedelta(hours=2)
        for status in steps:
            if at >= self.now:
                return
            services.case_update(case=case, actor=worker, status=status, at=at)
            at += dt.timedelta(days=self.rng.randrange(1, 6))
