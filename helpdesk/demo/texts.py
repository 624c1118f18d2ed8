"""The Dutch wording of the demo: names, job titles, case subjects and notes."""

from __future__ import annotations

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
