"""The 200,000-case data set of the load benchmark (``bench/bench_load.py``).

Built straight into the tables with ``bulk_create`` in batches (not through the
services: a case through ``case_open`` costs a dozen queries, 200,000 of them an
hour), in stages that each check whether their rows are already there, so an
interrupted build continues where it stopped. The shape follows the helpdesk:

- 20,000 organisations (municipalities, companies, SW companies) with a KvK number,
  a city, often a phone number, and a PSO history of 0–3 records (some expired,
  some Aspirant statuses running out, a few coming into force later);
- 100,000 contacts with Dutch names (Jansen, de Vries … as common as they are) and
  one or two phone numbers each;
- 200,000 cases over two years: mostly closed, about 8 % open, 12 % urgent, phone
  and mail and web, assigned to the staff members, in categories;
- about 600,000 timeline entries: calls, notes, changes, received and sent mail,
  and a few cases with 200–500 entries;
- 50,000 callbacks, of which ``open_callbacks`` (10,000) still open: the backlog a
  misconfigured morning run could leave;
- a few hundred received messages that could not be processed.

Everything is derived from one seed, so two builds are the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Emma",
    "Fleur",
    "Gerrit",
    "Henk",
    "Ingrid",
    "Jan",
    "Joost",
    "Karin",
    "Lars",
    "Linda",
    "Marco",
    "Mark",
    "Noor",
    "Olga",
    "Peter",
    "Priya",
    "Ruud",
    "Sanne",
    "Sem",
    "Tess",
    "Thijs",
    "Willem",
    "Yusuf",
    "Zoë",
    "Fatima",
    "Mohamed",
]
#: Surnames roughly as common as in the Netherlands: Jansen and de Jong lead.
SURNAMES = (
    ["Jansen"] * 8
    + ["de Jong"] * 7
    + ["de Vries"] * 6
    + ["van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer"] * 3
    + [
        "de",
        "Boer",
        "Mulder",
        "de",
        "Groot",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "van",
        "Leeuwen",
        "Dekker",
        "Brouwer",
        "de",
        "Wit",
        "Dijkstra",
        "Smits",
        "de",
        "Graaf",
        "van",
        "der",
        "Meer",
        "van",
        "der",
        "Linden",
        "Kok",
        "Jacobs",
        "de",
        "Haan",
        "Vermeulen",
        "van",
        "den",
        "Heuvel",
        "van",
        "der",
        "Veen",
        "van",
        "den",
        "Broek",
        "de",
        "Bruijn",
        "de",
        "Bruin",
        "van",
        "der",
        "Heijden",
        "Schouten",
        "van",
        "Beek",
        "Willems",
        "van",
        "Vliet",
        "van",
        "de",
        "Ven",
        "Hoekstra",
        "Maas",
        "Verhoeven",
        "Koster",
        "van",
        "Dam",
        "Prins",
        "Blom",
        "Huisman",
        "Peeters",
        "de",
        "Kok",
        "Kuiper",
        "van",
        "Wijk",
        "Kramer",
        "Yilmaz",
        "El",
        "Amrani",
        "Öztürk",
        "Nguyen",
    ]
)
CITIES = [
    "Almelo",
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Enschede",
    "Hengelo",
    "Zwolle",
    "Deventer",
    "Apeldoorn",
    "Arnhem",
    "Nijmegen",
    "Leiden",
    "Delft",
    "Haarlem",
    "Zaandam",
    "Breda",
    "Maastricht",
    "Venlo",
    "Emmen",
    "Assen",
    "Leeuwarden",
    "Lelystad",
    "Almere",
    "Amersfoort",
    "Oss",
    "Helmond",
    "Roosendaal",
]
TRADES = [
    "Bouw",
    "Installatie",
    "Schoonmaak",
    "Groen",
    "Logistiek",
    "Zorg",
    "Metaal",
    "Drukkerij",
    "Catering",
    "Techniek",
    "Advies",
    "Transport",
    "Recycling",
    "Facilitair",
    "Kinderopvang",
    "Beveiliging",
]
SUBJECTS = (
    "Vraag over de aanvraag van Trede {n}",
    "Herbeoordeling PSO-status",
    "Certificaat verloopt binnenkort",
    "Zelfscan op mijnpso.nl werkt niet",
    "Social return in aanbesteding",
    "Factuur beoordeling",
    "Ketenstimulering: wie telt mee?",
    "Spoed: certificaat nodig voor inschrijving",
    "Doelgroep medewerkers tellen",
    "Aspirant-status en daarna",
)
LEVELS = ("aspirant", "trede_1", "trede_2", "trede_3")
ACTIVE = ("new", "open", "waiting")


@dataclass(frozen=True)
class Shape:
    """How much of everything; ``Shape.full()`` is the issue's data set."""

    organisations: int = 20_000
    contacts: int = 100_000
    cases: int = 200_000
    callbacks: int = 50_000
    open_callbacks: int = 10_000
    staff: int = 20
    long_cases: int = 10
    unprocessed_mail: int = 300

    @classmethod
    def scaled(cls, share: float) -> Shape:
        """A smaller data set of the same shape (for SQLite: ``share=0.1``)."""
        return cls(
            organisations=int(20_000 * share),
            contacts=int(100_000 * share),
            cases=int(200_000 * share),
            callbacks=int(50_000 * share),
            open_callbacks=int(10_000 * share),
            long_cases=10,
            unprocessed_mail=int(300 * share) or 1,
        )


STAFF_PASSWORD = "bench-staff-password-2026"
#: The moment the data set ends: "now" for the two years of cases before it.
TODAY = dt.date(2026, 12, 1)
BATCH = 5_000


def _log(message: str, started: float) -> None:
    print(f"  {message} ({time.perf_counter() - started:.0f} s)", flush=True)


def build(shape: Shape, *, seed: int = 13, now: dt.datetime | None = None) -> None:
    """Fill the (migrated) database with ``shape``; stages already done are skipped."""
    from django.utils import timezone

    now = now or timezone.now()
    started = time.perf_counter()
    rng = random.Random(seed)
    _staff(shape)
    _log("staff", started)
    _organisations(shape, random.Random(rng.random()), now)
    _log("organisations and PSO histories", started)
    _contacts(shape, random.Random(rng.random()))
    _log("contacts and phone numbers", started)
    _cases(shape, random.Random(rng.random()), now)
    _log("cases", started)
    _timeline(shape, random.Random(rng.random()), now)
    _log("timeline entries", started)
    _callbacks(shape, random.Random(rng.random()), now)
    _log("callbacks", started)
    _mail(shape, random.Random(rng.random()), now)
    _log("received and sent mail", started)
    # As the daily roll-over (and every write of a history) leaves it in production:
    # without it every organisation's kept level is stale and each list reading the
    # PSO level now falls back to the history for all of them.
    from cases.services import pso_now_roll_over

    pso_now_roll_over()
    _log("the PSO level now kept on each organisation", started)


def staff_usernames(shape: Shape) -> list[str]:
    return [f"bench-staff-{i:02d}" for i in range(1, shape.staff + 1)]


def _staff(shape: Shape) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from cases.models import Category
    from staff.roles import STAFF_GROUP

    user_model = get_user_model()
    group = Group.objects.get(name=STAFF_GROUP)
    password = make_password(STAFF_PASSWORD)  # hashed once: 20 hashes would cost 10 s
    for i, name in enumerate(staff_usernames(shape), start=1):
        user, created = user_model.objects.get_or_create(
            username=name,
            defaults={"password": password, "first_name": f"Medewerker {i}", "last_name": ""},
        )
        if created:
            user.groups.add(group)
    for position, name in enumerate(
        ("PSO-aanvraag", "Trede", "Aspirant", "Zelfscan", "Social return", "Facturen", "Overig")
    ):
        Category.objects.get_or_create(
            slug=f"bench-{position}", defaults={"name": f"{name} (bench)", "position": position}
        )


def _organisations(shape: Shape, rng: random.Random, now: dt.datetime) -> None:
    from cases.models import Organisation, PhoneNumber, PsoStatus

    if Organisation.objects.count() >= shape.organisations:
        return
    rows = []
    for i in range(shape.organisations):
        city = rng.choice(CITIES)
        kind = rng.choices(("gemeente", "bedrijf", "sw_bedrijf", "overheid"), (2, 85, 5, 8))[0]
        if kind == "gemeente":
            name = f"Gemeente {city} {i}"
        else:
            suffix = rng.choice(("BV", "NV", "VOF", ""))
            name = f"{rng.choice(TRADES)} {rng.choice(SURNAMES)} {suffix} {i}"
        domain = f"org{i}.nl"
        rows.append(
            Organisation(
                name=" ".join(name.split()),
                kvk_number=f"{10_000_000 + i * 37 % 89_999_999:08d}",
                kind=kind,
                city=city,
                email_domains=domain,
                created_at=now,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=BATCH)
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    phones, statuses = [], []
    for n, pk in enumerate(ids):
        if rng.random() < 0.6:
            phones.append(PhoneNumber(organisation_id=pk, number=f"+3120{n:07d}", label="centrale"))
        statuses.extend(_history(rng, pk))
    PhoneNumber.objects.bulk_create(phones, batch_size=BATCH)
    PsoStatus.objects.bulk_create(statuses, batch_size=BATCH)


def _history(rng: random.Random, organisation_id: int) -> list:
    """0–3 PSO records: a climb up the ladder, sometimes lapsed or still to come."""
    from cases.models import PsoStatus

    records = []
    count = rng.choices((0, 1, 2, 3), (30, 35, 25, 10))[0]
    start = TODAY - dt.timedelta(days=rng.randint(200, 2_500))
    rung = rng.randint(0, 2)
    for _ in range(count):
        level = LEVELS[min(rung, 3)]
        until = start + dt.timedelta(days=730) if level == "aspirant" else None
        if until is None and rng.random() < 0.3:
            until = start + dt.timedelta(days=rng.randint(300, 1_200))  # lapsed or lapsing
        records.append(
            PsoStatus(
                organisation_id=organisation_id,
                level=level,
                effective_from=start,
                valid_until=until,
                reference=f"PSO-{organisation_id}-{len(records)}",
            )
        )
        start += dt.timedelta(days=rng.randint(200, 900))
        rung += 1
    return records


def _contacts(shape: Shape, rng: random.Random) -> None:
    from cases.models import Contact, Organisation, PhoneNumber

    if Contact.objects.count() >= shape.contacts:
        return
    organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
    rows = []
    for i in range(shape.contacts):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        org = rng.choice(organisation_ids) if rng.random() < 0.9 else None
        handle = f"{first}.{last}".lower().replace(" ", "")
        rows.append(
            Contact(
                name=f"{first} {last}",
                email=f"{handle}{i}@org{org or 0}.nl",
                organisation_id=org,
                job_title=rng.choice(("", "HR-adviseur", "Directeur", "Inkoper", "Jobcoach")),
            )
        )
    Contact.objects.bulk_create(rows, batch_size=BATCH)
    phones = []
    for n, pk in enumerate(Contact.objects.order_by("pk").values_list("pk", flat=True)):
        # Mobile numbers: +31 6 then 8 digits, all distinct.
        phones.append(PhoneNumber(contact_id=pk, number=f"+316{20_000_000 + n:08d}", label=""))
        if rng.random() < 0.2:
            phones.append(PhoneNumber(contact_id=pk, number=f"+3153{n:07d}", label="werk"))
    PhoneNumber.objects.bulk_create(phones, batch_size=BATCH)


def _cases(shape: Shape, rng: random.Random, now: dt.datetime) -> None:
    from django.contrib.auth import get_user_model

    from cases.models import Case, CaseCounter, Category, Contact

    if Case.objects.count() >= shape.cases:
        return
    staff = list(get_user_model().objects.filter(username__startswith="bench-staff-"))
    categories = list(Category.objects.values_list("pk", flat=True))
    contacts = list(Contact.objects.values_list("pk", "organisation_id"))
    span = 730 * 86_400
    moments = sorted(now - dt.timedelta(seconds=rng.random() * span) for _ in range(shape.cases))
    hour = dt.timedelta(hours=1)
    rows = []
    counters: dict[int, int] = {}
    for created in moments:
        year = created.year
        counters[year] = counters.get(year, 0) + 1
        age_days = (now - created).days
        contact_id, organisation_id = rng.choice(contacts)
        # Recent cases are still open more often; a few old ones linger.
        active = rng.random() < (0.5 if age_days < 14 else 0.05)
        status = rng.choice(ACTIVE) if active else rng.choice(("resolved", "closed", "closed"))
        answered = not active or rng.random() < 0.5
        response = hour * rng.uniform(0.1, 12)
        priority = "urgent" if rng.random() < 0.12 else "normal"
        rows.append(
            Case(
                reference=f"PSO-{year}-{counters[year]:06d}",
                subject=rng.choice(SUBJECTS).format(n=rng.randint(1, 3)),
                description=(
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} belt over "
                    f"{rng.choice(TRADES).lower()} en de beoordeling."
                ),
                channel=rng.choice(("phone", "phone", "email", "email", "web")),
                category_id=rng.choice(categories) if rng.random() < 0.8 else None,
                priority=priority,
                status=status,
                organisation_id=organisation_id,
                contact_id=contact_id,
                assignee=rng.choice(staff) if rng.random() < 0.8 else None,
                created_at=created,
                first_response_at=created + response if answered else None,
                response_time=response if answered else None,
                late_by=max(dt.timedelta(0), response - 8 * hour) if answered else None,
                resolved_at=created + response + hour * rng.uniform(1, 300)
                if status in ("resolved", "closed")
                else None,
                sla_target=8 * hour,
                due_at=created + 8 * hour,
                sla_paused_since=now if status == "waiting" and not answered else None,
                pso_level_at_open=rng.choice(("none", "none", *LEVELS)),
            )
        )
        if len(rows) == BATCH:
            Case.objects.bulk_create(rows)
            rows = []
    Case.objects.bulk_create(rows)
    for year, last in counters.items():
        CaseCounter.objects.update_or_create(year=year, defaults={"last": last})


def long_case_ids(shape: Shape) -> list[int]:
    """The cases given 200–500 timeline entries: open ones, spread over the table."""
    from cases.models import Case

    active = Case.objects.filter(status__in=ACTIVE).order_by("pk").values_list("pk", flat=True)
    ids = list(active[: shape.long_cases * 50 : 50])
    return ids


def _timeline(shape: Shape, rng: random.Random, now: dt.datetime) -> None:
    """Calls, notes and changes: three entries per case on average, a few very long cases."""
    from cases.models import Case, CaseChange, Note, PhoneCall

    if PhoneCall.objects.exists():
        return
    staff = list(
        Case.objects.exclude(assignee=None).values_list("assignee_id", flat=True).distinct()
    )
    cases = Case.objects.order_by("pk").values_list("pk", "created_at", "channel", "contact_id")
    calls, notes, changes = [], [], []
    minute = dt.timedelta(minutes=1)

    def flush(force: bool = False) -> None:
        for model, rows in ((PhoneCall, calls), (Note, notes), (CaseChange, changes)):
            if rows and (force or len(rows) >= BATCH):
                model.objects.bulk_create(rows)
                rows.clear()

    def entries(pk: int, created: dt.datetime, count: int) -> None:
        at = created
        for _ in range(count):
            at = min(now, at + minute * rng.randint(5, 600))
            kind = rng.random()
            if kind < 0.4:
                calls.append(
                    PhoneCall(
                        case_id=pk,
                        direction=rng.choice(("in", "in", "out")),
                        number=f"+316{20_000_000 + rng.randrange(shape.contacts):08d}",
                        started_at=at,
                        duration=minute * rng.randint(1, 20),
                        notes="Gebeld over de beoordeling.",
                        outcome="answered",
                        logged_by_id=rng.choice(staff),
                        inside_phone_hours=True,
                    )
                )
            elif kind < 0.7:
                notes.append(
                    Note(case_id=pk, author_id=rng.choice(staff), body="Notitie.", created_at=at)
                )
            else:
                changes.append(
                    CaseChange(
                        case_id=pk,
                        actor_id=rng.choice(staff),
                        at=at,
                        field="status",
                        old_value="new",
                        new_value="open",
                    )
                )

    for pk, created, _channel, _contact in cases.iterator(chunk_size=BATCH):
        entries(pk, created, rng.choice((1, 2, 3, 3, 4, 5)))
        flush()
    for n, pk in enumerate(long_case_ids(shape)):
        created = Case.objects.values_list("created_at", flat=True).get(pk=pk)
        entries(pk, created, 500 if n == 0 else rng.randint(200, 300))
        flush()
    flush(force=True)


def _callbacks(shape: Shape, rng: random.Random, now: dt.datetime) -> None:
    from scheduling.models import Callback

    if Callback.objects.exists():
        return
    from cases.models import Case

    phone_cases = list(
        Case.objects.filter(channel="phone").values_list("pk", "created_at", "status")
    )
    chosen = rng.sample(phone_cases, min(shape.callbacks, len(phone_cases)))
    rows = []
    today = now.replace(hour=8, minute=30, second=0, microsecond=0)
    for n, (pk, created, _status) in enumerate(chosen):
        open_one = n < shape.open_callbacks
        slot = (
            today + dt.timedelta(minutes=15 * rng.randrange(16) - 1440 * rng.randrange(3))
            if open_one
            else created.replace(minute=0, second=0, microsecond=0)
        )
        rows.append(
            Callback(
                case_id=pk,
                number=f"+316{20_000_000 + rng.randrange(shape.contacts):08d}",
                slot_start=slot,
                slot_minutes=15,
                promised_slot_start=slot,
                promised_slot_end=slot + dt.timedelta(minutes=15),
                state="scheduled" if open_one else rng.choice(("done", "done", "no_answer")),
                attempts=0 if open_one else rng.choice((0, 1, 2)),
                completed_at=None if open_one else slot + dt.timedelta(minutes=20),
                created_at=min(created, slot),
            )
        )
    Callback.objects.bulk_create(rows, batch_size=BATCH)


def _mail(shape: Shape, rng: random.Random, now: dt.datetime) -> None:
    """A received and often a sent mail for each mail case, and the unprocessed heap."""
    import hashlib

    from cases.models import Case, InboundMessage, OutboundMessage

    if InboundMessage.objects.exists():
        return
    mail_cases = Case.objects.filter(channel="email").values_list(
        "pk", "created_at", "contact__email", "subject"
    )
    inbound, outbound = [], []
    for n, (pk, created, sender, subject) in enumerate(mail_cases.iterator(chunk_size=BATCH)):
        raw = f"From: {sender}\r\nSubject: {subject}\r\n\r\nVraag {n}\r\n".encode()
        inbound.append(
            InboundMessage(
                received_at=created,
                source="bench",
                raw_sha256=hashlib.sha256(raw).hexdigest(),
                size=len(raw),
                message_id=f"<bench-{n}@example.nl>",
                status="processed",
                outcome="new",
                from_address=sender or "",
                subject=subject,
                text_body=f"Vraag {n}",
                case_id=pk,
                processed_at=created,
                raw=raw,
            )
        )
        if rng.random() < 0.6:
            outbound.append(
                OutboundMessage(
                    case_id=pk,
                    message_id=f"<bench-out-{n}@helpdesk.example.nl>",
                    from_address="info@pso-nederland.nl",
                    to=sender or "x@example.nl",
                    subject=f"Re: {subject}",
                    body_text="Dank voor uw vraag.",
                    created_at=created + dt.timedelta(hours=2),
                    sent_at=created + dt.timedelta(hours=2),
                    status="sent",
                )
            )
        if len(inbound) >= BATCH:
            InboundMessage.objects.bulk_create(inbound)
            OutboundMessage.objects.bulk_create(outbound)
            inbound, outbound = [], []
    for n in range(shape.unprocessed_mail):
        raw = f"From: onbekend{n}@example.com\r\nSubject: ?\r\n\r\n?\r\n".encode()
        inbound.append(
            InboundMessage(
                received_at=now - dt.timedelta(minutes=n),
                source="bench",
                raw_sha256=hashlib.sha256(raw).hexdigest(),
                size=len(raw),
                message_id=f"<bench-failed-{n}@example.com>",
                status="failed",
                error="Could not be parsed.",
                from_address=f"onbekend{n}@example.com",
                subject="?",
                raw=raw,
            )
        )
    InboundMessage.objects.bulk_create(inbound, batch_size=BATCH)
    OutboundMessage.objects.bulk_create(outbound, batch_size=BATCH)
