"""Reading one row's cells into values, reporting every cell that cannot be read."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import phones
from cases.importing.cells import parse_date, parse_kind, parse_level, split_list
from cases.importing.reading import EXTRA
from cases.importing.report import RowProblems
from cases.models import OrganisationKind, PsoLevel

#: A website is read as on the staff pages: without a scheme it is https.
_WEBSITE = forms.URLField(required=False, assume_scheme="https")


@dataclass(frozen=True)
class RowValues:
    """One row read into values; empty text (or None) where its cell was empty."""

    number: int  # spreadsheet row number (header = 1)
    name: str
    kvk: str
    kind: str | None
    city: str
    website: str
    email_domains: list[str]
    numbers: list[str]  # E.164, in the order written
    level: str | None
    effective_from: dt.date | None
    valid_until: dt.date | None
    reference: str
    note: str


def row_read(number: int, values: dict[str, str], problems: RowProblems) -> RowValues | None:
    """The values of a row, or None when any cell is wrong (each one added to ``problems``).

    Besides unreadable cells, a row is wrong when it has more cells than the header,
    no name, a status date or certificate without a level, or a status without its
    start date.
    """
    if values.get(EXTRA):
        problems.add("", _("This row has more cells than the header has columns."))
    name = re.sub(r"\s+", " ", values.get("name", "")).strip()
    if not name:
        problems.add("name", _("The name is missing."))
    kvk = re.sub(r"[\s.]", "", values.get("kvk", ""))
    kind = level = None
    try:
        kind = parse_kind(values.get("kind", ""))
    except ValueError:
        problems.add(
            "kind",
            _("“%(value)s” is not a kind; use one of: %(choices)s.")
            % {"value": values["kind"], "choices": ", ".join(OrganisationKind.values)},
        )
    try:
        level = parse_level(values.get("level", ""))
    except ValueError:
        problems.add(
            "level",
            _("“%(value)s” is not a PSO level; use geen, Aspirant, Trede 1, Trede 2 or Trede 3.")
            % {"value": values["level"]},
        )
    effective_from = _date(values, "effective_from", problems)
    valid_until = _date(values, "valid_until", problems)
    website = ""
    try:
        website = _WEBSITE.clean(values.get("website", ""))
    except ValidationError as exc:
        for message in exc.messages:
            problems.add("website", message)
    numbers: list[str] = []
    for raw in split_list(values.get("phones", "")):
        try:
            numbers.append(phones.normalise(raw))
        except ValidationError as exc:
            problems.add("phones", exc.messages[0])
    status_cells = [values.get(k) for k in ("effective_from", "valid_until", "reference")]
    if level is None and any(status_cells) and not values.get("level"):
        # A date or certificate without a level would be lost: say so.
        problems.add("level", _("The level (trede) of this status is missing."))
    needs_start = level not in (None, PsoLevel.NONE) or any(status_cells[1:])
    if level is not None and needs_start and not values.get("effective_from"):
        problems.add("effective_from", _("A status needs its start date (ingangsdatum)."))
    if problems:
        return None
    return RowValues(
        number=number,
        name=name,
        kvk=kvk,
        kind=kind,
        city=values.get("city", ""),
        website=website,
        email_domains=split_list(values.get("email_domains", "")),
        numbers=numbers,
        level=level,
        effective_from=effective_from,
        valid_until=valid_until,
        reference=values.get("reference", ""),
        note=values.get("note", ""),
    )


def _date(values: dict[str, str], key: str, problems: RowProblems) -> dt.date | None:
    try:
        return parse_date(values.get(key, ""))
    except ValueError:
        problems.add(
            key,
            _("“%(value)s” is not a date; write dd-mm-jjjj (31-12-2025) or 2025-12-31.")
            % {"value": values[key]},
        )
        return None
