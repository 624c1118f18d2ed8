"""Importing organisations and their PSO statuses from a register export (CSV).

The file format is described in ``docs/import.md``. The rules in short:

- Organisations are matched by KvK number, else by exact name; a match is
  updated, otherwise the organisation is created. Empty cells never erase what
  the helpdesk already knows; email domains and phone numbers are added to the
  ones already recorded.
- A status row is recorded once: a record with the same organisation, level and
  start date is left as it is. Importing a file twice therefore changes nothing.
- All or nothing: a file with any problem writes nothing, and every problem is
  reported with its row number (as in a spreadsheet: the header is row 1), the
  column as named in the file, and the reason. A dry run reports the same and
  what would be created or updated, and never writes.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases import phones, services
from cases.models import Organisation, OrganisationKind, PhoneNumber, PsoLevel, PsoStatus
from cases.models.organisations import PsoSource

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

#: Which column a model field's error belongs to.
_FIELD_COLUMNS = {
    "name": "name",
    "kvk_number": "kvk",
    "kind": "kind",
    "city": "city",
    "website": "website",
    "email_domains": "email_domains",
    "level": "level",
    "effective_from": "effective_from",
    "valid_until": "valid_until",
    "reference": "reference",
    "note": "note",
}

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


def _squash(text: str) -> str:
    """Lowercase without spaces, hyphens, underscores and dots: the key for loose matching."""
    return re.sub(r"[\s_\-.]+", "", text.strip().lower())


_HEADER_KEYS = {_squash(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, no header, no name column)."""


# --- Reading values ----------------------------------------------------------------------


def parse_level(text: str) -> str | None:
    """The PSO level a cell names, or None for an empty cell.

    Accepts "Aspirant", "Aspirant-status", "Trede 1", "trede_2", "Trede-3", "3"
    and "geen"/"none" (no status). Raises ``ValueError`` for anything else.
    """
    key = _squash(text)
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
    key = _squash(text)
    if not key:
        return None
    if key in _KINDS:
        return _KINDS[key]
    for value, label in OrganisationKind.choices:
        if key in (_squash(value), _squash(str(label))):
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
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("The file is empty or its first line (the header) is blank."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(lines[0]))
    raw_headers = next(reader)
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(raw_headers):
        key = _HEADER_KEYS.get(_squash(raw))
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
    for number, cells in enumerate(reader, start=2):
        values = dict.fromkeys(headers, "")
        for index, cell in enumerate(cells):
            if index in positions:
                values[positions[index]] = cell.strip()
            elif index >= len(raw_headers) and cell.strip():
                values["__extra__"] = cell.strip()
        rows.append((number, values))
    return Table(headers=headers, ignored=ignored, rows=rows)


# --- The report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row number (header = 1); 0 for the file as a whole
    column: str  # the column as named in the file; "" when the row as a whole is wrong
    message: str


@dataclass
class RowResult:
    row: int
    organisation: str
    action: str  # "create", "update" or "unchanged"
    changed: list[str] = field(default_factory=list)  # "field: old → new", for people
    status: str = ""  # "add", "exists" or "" (no status in the row)
    status_label: str = ""


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    empty_rows: int = 0

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def count_status(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def organisations_created(self) -> int:
        return len({r.organisation for r in self.rows if r.action == "create"})

    @property
    def organisations_updated(self) -> int:
        return len({r.organisation for r in self.rows if r.action == "update"})

    @property
    def statuses_added(self) -> int:
        return self.count_status("add")

    @property
    def statuses_existing(self) -> int:
        return self.count_status("exists")


# --- The import ----------------------------------------------------------------------------


def organisations_import(*, data: bytes, dry_run: bool) -> ImportReport:
    """Import a register export; all or nothing (see the module docstring).

    The dry run performs the very same steps inside a transaction that is rolled
    back, so its report is exactly what a real run would do.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(data)
    except ImportFileError as exc:
        report.problems.append(Problem(row=0, column="", message=str(exc)))
        return report
    report.ignored_columns = table.ignored
    with transaction.atomic():
        importer = _RowImporter(table.headers, report)
        for number, values in table.rows:
            if not any(v for v in values.values()):
                report.empty_rows += 1
                continue
            importer.run(number, values)
        if dry_run or report.problems:
            transaction.set_rollback(True)
    return report


_ProblemSink = Callable[[str, object], None]


class _RowImporter:
    def __init__(self, headers: dict[str, str], report: ImportReport) -> None:
        self.headers = headers
        self.report = report
        #: KvK number → (row, name) of its first row in this file.
        self.kvk_rows: dict[str, tuple[int, str]] = {}
        self.url_field = forms.URLField(required=False, assume_scheme="https")

    def run(self, number: int, values: dict[str, str]) -> None:
        problems: list[Problem] = []

        def problem(key: str, message: object) -> None:
            problems.append(Problem(number, self.headers.get(key, ""), str(message)))

        if values.get("__extra__"):
            problem("", _("This row has more cells than the header has columns."))
        name = re.sub(r"\s+", " ", values.get("name", "")).strip()
        if not name:
            problem("name", _("The name is missing."))
        kvk = re.sub(r"[\s.]", "", values.get("kvk", ""))
        kind = level = effective_from = valid_until = None
        try:
            kind = parse_kind(values.get("kind", ""))
        except ValueError:
            problem(
                "kind",
                _("“%(value)s” is not a kind; use one of: %(choices)s.")
                % {"value": values["kind"], "choices": ", ".join(OrganisationKind.values)},
            )
        try:
            level = parse_level(values.get("level", ""))
        except ValueError:
            problem(
                "level",
                _(
                    "“%(value)s” is not a PSO level; "
                    "use geen, Aspirant, Trede 1, Trede 2 or Trede 3."
                )
                % {"value": values["level"]},
            )
        for key in ("effective_from", "valid_until"):
            try:
                parsed = parse_date(values.get(key, ""))
            except ValueError:
                problem(
                    key,
                    _("“%(value)s” is not a date; write dd-mm-jjjj (31-12-2025) or 2025-12-31.")
                    % {"value": values[key]},
                )
                continue
            if key == "effective_from":
                effective_from = parsed
            else:
                valid_until = parsed
        website = ""
        try:
            website = self.url_field.clean(values.get("website", ""))
        except ValidationError as exc:
            for message in exc.messages:
                problem("website", message)
        numbers: list[str] = []
        for raw in split_list(values.get("phones", "")):
            try:
                numbers.append(phones.normalise(raw))
            except ValidationError as exc:
                problem("phones", exc.messages[0])
        status_cells = [values.get(k) for k in ("effective_from", "valid_until", "reference")]
        if level is None and any(status_cells) and not values.get("level"):
            # A date or certificate without a level would be lost: say so.
            problem("level", _("The level (trede) of this status is missing."))
        needs_start = level not in (None, PsoLevel.NONE) or any(status_cells[1:])
        if level is not None and needs_start and not values.get("effective_from"):
            problem("effective_from", _("A status needs its start date (ingangsdatum)."))
        if problems:
            self.report.problems.extend(problems)
            return

        organisation = self._find(number, name, kvk, problem)
        if problems:
            self.report.problems.extend(problems)
            return
        created = organisation is None
        if organisation is None:
            organisation = Organisation(name=name, kind=kind or OrganisationKind.COMPANY)
        before = _snapshot(organisation)
        organisation.name = name
        if kvk:
            organisation.kvk_number = kvk
        if kind:
            organisation.kind = kind
        if values.get("city"):
            organisation.city = values["city"]
        if website:
            organisation.website = website
        if values.get("email_domains"):
            organisation.email_domains = "\n".join(
                [*organisation.domains, *split_list(values["email_domains"])]
            )
        try:
            organisation.full_clean()
        except ValidationError as exc:
            self._field_problems(exc, problem)

        status = None
        if level is not None and effective_from is not None:
            status = PsoStatus(
                level=level,
                effective_from=effective_from,
                valid_until=valid_until or services.default_valid_until(level, effective_from),
                reference=values.get("reference", ""),
                note=values.get("note", ""),
                source=PsoSource.IMPORT,
            )
            try:
                status.full_clean(exclude=["organisation"])
            except ValidationError as exc:
                # The one rule across fields of a status is "valid until" after "from".
                self._field_problems(exc, problem, whole_row="valid_until")
        if problems:
            self.report.problems.extend(problems)
            return

        changed = [
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {
                "field": Organisation._meta.get_field(f).verbose_name,
                "old": str(old).replace("\n", ", "),
                "new": str(getattr(organisation, f)).replace("\n", ", "),
            }
            for f, old in before.items()
            if old != getattr(organisation, f)
        ]
        known = set() if created else set(organisation.phones.values_list("number", flat=True))
        new_numbers = [n for n in dict.fromkeys(numbers) if n not in known]
        if new_numbers:
            changed.append(
                _("phone numbers added: %(numbers)s")
                % {"numbers": ", ".join(phones.display(n) for n in new_numbers)}
            )
        result = RowResult(
            row=number,
            organisation=name,
            action="create" if created else ("update" if changed else "unchanged"),
            changed=[] if created else changed,
        )
        try:
            with transaction.atomic():
                if created or changed:
                    organisation.save()
                for n in new_numbers:
                    PhoneNumber.objects.create(organisation=organisation, number=n)
                if status is not None:
                    result.status_label = f"{status.get_level_display()} {effective_from:%d-%m-%Y}"
                    exists = PsoStatus.objects.filter(
                        organisation=organisation, level=level, effective_from=effective_from
                    ).exists()
                    if exists:
                        result.status = "exists"
                    else:
                        services.pso_status_record(
                            organisation=organisation,
                            level=status.level,
                            effective_from=status.effective_from,
                            valid_until=status.valid_until,
                            reference=status.reference,
                            note=status.note,
                            source=PsoSource.IMPORT,
                        )
                        result.status = "add"
        except (IntegrityError, ValidationError) as exc:
            problem("", _("This row could not be saved: %(reason)s") % {"reason": exc})
            self.report.problems.extend(problems)
            return
        if kvk:
            self.kvk_rows.setdefault(kvk, (number, name))
        self.report.rows.append(result)

    def _find(self, number: int, name: str, kvk: str, problem: _ProblemSink) -> Organisation | None:
        """The organisation a row is about: by KvK number, else by exact name."""
        if kvk:
            first = self.kvk_rows.get(kvk)
            if first is not None and first[1] != name:
                problem(
                    "kvk",
                    _("KvK number %(kvk)s is given to “%(name)s” in row %(row)s already.")
                    % {"kvk": kvk, "name": first[1], "row": first[0]},
                )
                return None
            by_kvk = Organisation.objects.filter(kvk_number=kvk).first()
            if by_kvk is not None:
                return by_kvk
        by_name = list(Organisation.objects.filter(name=name)[:5])
        if kvk:
            without_kvk = [o for o in by_name if not o.kvk_number]
            if len(without_kvk) == 1:
                return without_kvk[0]
            if by_name and not without_kvk:
                problem(
                    "kvk",
                    _(
                        "“%(name)s” is already registered with KvK number %(other)s. "
                        "Correct the KvK number, or change the organisation first."
                    )
                    % {"name": name, "other": by_name[0].kvk_number},
                )
                return None
            by_name = without_kvk
        if len(by_name) > 1:
            problem(
                "name",
                _("Several organisations are named “%(name)s”; add the KvK number.")
                % {"name": name},
            )
            return None
        return by_name[0] if by_name else None

    def _field_problems(
        self, exc: ValidationError, problem: _ProblemSink, whole_row: str = ""
    ) -> None:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                problem(_FIELD_COLUMNS.get(field_name, whole_row), message)


def _snapshot(organisation: Organisation) -> dict[str, object]:
    return {
        f: getattr(organisation, f)
        for f in ("name", "kvk_number", "kind", "city", "website", "email_domains")
    }
