"""Reading a register export: its text, its delimiter, and its header mapped to known columns."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.importing.cells import squash

#: The columns the import understands, each with the header names accepted for
#: it (Dutch first, then English). Headers are compared ignoring case, spaces,
#: hyphens and underscores.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("naam", "organisatie", "name", "organisation", "organization"),
    "kvk": ("kvk", "kvk-nummer", "kvknummer", "kvk number", "kvk_number", "coc number"),
    "kind": ("soort", "type", "kind"),
    "city": ("plaats", "vestigingsplaats", "city", "place"),
    "website": ("website", "url", "site"),
    "email_domains": (
        "e-maildomeinen",
        "e-maildomein",
        "emaildomeinen",
        "domeinen",
        "email domains",
        "e-mail domains",
        "domains",
    ),
    "phones": ("telefoon", "telefoonnummer", "telefoonnummers", "phone", "phones", "telephone"),
    "level": ("trede", "niveau", "pso-trede", "level", "pso level"),
    "effective_from": ("ingangsdatum", "datum", "effective from", "start date", "from"),
    "valid_until": ("geldig tot", "geldig_tot", "einddatum", "valid until", "end date", "until"),
    "reference": (
        "certificaatnummer",
        "certificaat",
        "referentie",
        "certificate number",
        "certificate",
        "reference",
    ),
    "note": ("opmerking", "notitie", "note", "notes"),
}

#: The key under which a row keeps a cell beyond the header's last column.
EXTRA = "__extra__"

_HEADER_KEYS = {squash(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, no header, no name column)."""


def decode(data: bytes) -> str:
    """The text of an export: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Excel on Windows writes "CSV" in Windows-1252 unless told otherwise, so that
    is the fallback when the bytes are not UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is neither UTF-8 nor Windows-1252 text. Save it as CSV (UTF-8).")
        ) from exc


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of the file: whichever of ; , and tab occurs most in the header.

    Dutch Excel writes semicolons, most other tools commas; the header holds no
    quoted commas in practice, so counting there is reliable.
    """
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class Table:
    headers: dict[str, str]  # column key → header as written in the file
    ignored: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, key → cell)


def read_table(data: bytes) -> Table:
    """Decode and split the file; map its headers to the columns the import knows."""
    text = decode(data)
    if "\x00" in text:
        # No spreadsheet writes one into a CSV; PostgreSQL cannot store one.
        raise ImportFileError(
            _("The file contains a NUL character, so it is no CSV text; nothing was imported.")
        )
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("The file is empty or its first line (the header) is blank."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(lines[0]))
    try:
        raw_headers = next(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("The header of the file cannot be read (%(reason)s); nothing was imported.")
            % {"reason": exc}
        ) from exc
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(raw_headers):
        key = _HEADER_KEYS.get(squash(raw))
        if key is None:
            if raw.strip():
                ignored.append(raw.strip())
            continue
        if key in headers:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” mean the same; keep one.")
                % {"first": headers[key], "second": raw.strip()}
            )
        headers[key] = raw.strip()
        positions[index] = key
    if "name" not in headers:
        raise ImportFileError(
            _("The header has no name column (“naam” or “name”). Columns found: %(found)s.")
            % {"found": ", ".join(h.strip() for h in raw_headers) or "—"}
        )
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            values = dict.fromkeys(headers, "")
            for index, cell in enumerate(cells):
                if index in positions:
                    values[positions[index]] = cell.strip()
                elif index >= len(raw_headers) and cell.strip():
                    values[EXTRA] = cell.strip()
            rows.append((number, values))
    except csv.Error as exc:
        # A cell over the csv module's limit (131,072 characters) or a broken
        # quote: the file is refused whole, as every other unreadable file is.
        raise ImportFileError(
            _("Line %(line)s of the file cannot be read (%(reason)s); nothing was imported.")
            % {"line": reader.line_num, "reason": exc}
        ) from exc
    return Table(headers=headers, ignored=ignored, rows=rows)
