"""The demo organisations on every rung of the PSO ladder, their history and their contacts.

About 50 organisations (the marker, Almelo, at Trede 3; some with a history of several steps; a
few whose status ends soon), each with a general phone number and one to three contacts.
"""

from __future__ import annotations

import datetime as dt

from cases import services
from cases.models import Contact, Organisation, OrganisationKind, PhoneNumber, PsoLevel
from cases.phones import normalise
from helpdesk.demo.run import DemoRun
from helpdesk.demo.texts import FIRST_NAMES, JOB_TITLES, LAST_NAMES

#: The marker organisation: when it exists, the demo data is there.
MARKER_KVK = "06012026"
MARKER_NAME = "Gemeente Almelo"

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


def kvk_number(run: DemoRun) -> str:
    """A KvK number no other demo organisation has."""
    while True:
        number = f"{run.rng.randrange(10_000_000, 99_999_999)}"
        if number not in run.kvk_used:
            run.kvk_used.add(number)
            return number


def phone_number(run: DemoRun, area: str) -> str:
    """A ten-digit number in ``area`` (``"06"``: a mobile number) that exists in the plan.

    Dutch numbering: a mobile number continues 061–065, and a subscriber number
    in an area never starts with 0 or 1, so the first digit is mapped into range.
    """
    digits = [run.rng.randrange(10) for _ in range(10 - len(area))]
    digits[0] = 1 + digits[0] % 5 if area == "06" else 2 + digits[0] % 8
    return area + "".join(map(str, digits))


def demo_organisation_make(
    run: DemoRun, name: str, kind: str, city: str, area: str, domain: str
) -> Organisation:
    """The organisation, validated like one entered by hand, with its general phone number."""
    org = Organisation(
        name=name,
        kind=kind,
        city=city,
        kvk_number=MARKER_KVK if name == MARKER_NAME else kvk_number(run),
        website=f"https://www.{domain}",
        email_domains=domain,
    )
    org.full_clean()
    org.save()
    PhoneNumber.objects.create(
        organisation=org, number=normalise(phone_number(run, area)), label="algemeen"
    )
    return org


def demo_ladder_record(run: DemoRun, org: Organisation, ladder: Ladder) -> None:
    """Record the ladder: each step ends the day before the next one starts.

    The last step is the status today: a Trede ends :data:`CERTIFICATE_YEARS` after it began,
    an Aspirant status gets the usual default, no status stays open.
    """
    for index, (level, years_ago) in enumerate(ladder):
        start = run.today - dt.timedelta(days=round(years_ago * 365.25))
        following = ladder[index + 1] if index + 1 < len(ladder) else None
        if following is not None:
            until = run.today - dt.timedelta(days=round(following[1] * 365.25) + 1)
        elif level in (T1, T2, T3):
            until = start + dt.timedelta(days=round(CERTIFICATE_YEARS * 365.25))
        else:
            until = None  # Aspirant: the two-year default; none: open
        reference = ""
        if level != NONE:
            reference = f"PSO-{start.year}-{run.rng.randrange(1000, 9999)}"
        services.pso_status_record(
            organisation=org,
            level=level,
            effective_from=start,
            valid_until=until,
            reference=reference,
            note="Zelfscan ingevuld op mijnpso.nl." if level == NONE else "",
        )


def demo_contact_make(
    run: DemoRun, org: Organisation | None, area: str, domain: str
) -> tuple[Contact, str]:
    """A contact of ``org`` (or of no known organisation) and their phone number.

    Half of them give a mobile number, the others one in the organisation's area.
    """
    first, last = run.rng.choice(FIRST_NAMES), run.rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().replace(" ", "")
    email = f"{local}@{domain}" if domain else f"{local}@example.nl"
    contact = Contact.objects.create(
        name=f"{first} {last}",
        email=email,
        organisation=org,
        job_title=run.rng.choice(JOB_TITLES) if org else "",
    )
    number = normalise(phone_number(run, "06" if run.rng.random() < 0.5 else area))
    PhoneNumber.objects.create(contact=contact, number=number)
    return contact, number
