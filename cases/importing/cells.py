"""Reading the value of one cell: a PSO level, an organisation kind, a date, a list."""

from __future__ import annotations

import datetime as dt
import re

from cases.models import OrganisationKind, PsoLevel

_KINDS = {
    "gemeente": OrganisationKind.MUNICIPALITY,
    "municipality": OrganisationKind.MUNICIPALITY,
    "bedrijf": OrganisationKind.COMPANY,
    "onderneming": OrganisationKind.COMPANY,
    "company": OrganisationKind.COMPANY,
    "swbedrijf": OrganisationKind.SW_COMPANY,
    "sw": OrganisationKind.SW_COMPANY,
    "swcompany": OrganisationKind.SW_COMPANY,
    "socialewerkvoorziening": OrganisationKind.SW_COMPANY,
    "overheid": OrganisationKind.PUBLIC,
    "nonprofit": OrganisationKind.PUBLIC,
    "government": OrganisationKind.PUBLIC,
    "public": OrganisationKind.PUBLIC,
    "overig": OrganisationKind.OTHER,
    "anders": OrganisationKind.OTHER,
    "other": OrganisationKind.OTHER,
}

_NO_LEVEL = {"geen", "none", "geenstatus", "zelfscan", "selfscan", "nostatus"}


def squash(text: str) -> str:
    """Lowercase without spaces, hyphens, underscores and dots: the key for loose matching."""
    return re.sub(r"[\s_\-.]+", "", text.strip().lower())


def parse_level(text: str) -> str | None:
    """The PSO level a cell names, or None for an empty cell.

    Accepts "Aspirant", "Aspirant-status", "Trede 1", "trede_2", "Trede-3", "3"
    and "geen"/"none" (no status). Raises ``ValueError`` for anything else.
    """
    key = squash(text)
    if not key:
        return None
    if key in _NO_LEVEL:
        return PsoLevel.NONE
    if key in ("aspirant", "aspirantstatus"):
        return PsoLevel.ASPIRANT
    match = re.fullmatch(r"(?:trede|level|step)?([123])", key)
    if match:
        return f"trede_{match.group(1)}"
    raise ValueError(text)


def parse_kind(text: str) -> str | None:
    """The organisation kind a cell names (Dutch or English), None when empty."""
    key = squash(text)
    if not key:
        return None
    if key in _KINDS:
        return _KINDS[key]
    for value, label in OrganisationKind.choices:
        if key in (squash(value), squash(str(label))):
            return value
    raise ValueError(text)


def parse_date(text: str) -> dt.date | None:
    """A date written the Dutch way (dd-mm-jjjj, also with / or .) or as ISO (jjjj-mm-dd).

    None for an empty cell; ``ValueError`` for anything else, including a day
    that does not exist (31-02-2025).
    """
    text = text.strip()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return dt.date(year, month, day)
    dutch = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if dutch:
        day, month, year = (int(g) for g in dutch.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def split_list(text: str) -> list[str]:
    """Cells with several values: separated by commas, semicolons, slashes, pipes or new lines."""
    return [part.strip() for part in re.split(r"[,;/|\n]+", text or "") if part.strip()]
