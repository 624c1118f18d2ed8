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

The steps, one module each: ``reading`` the file and ``cells`` the values in it,
``validation`` of a row, ``matching`` it to a known organisation, ``planning``
what it changes, ``applying`` that through the services, and ``organisations``
the whole file; ``report`` holds what the user is told.
"""

from cases.importing.cells import parse_date, parse_kind, parse_level, split_list
from cases.importing.organisations import organisations_import
from cases.importing.reading import (
    COLUMNS,
    ImportFileError,
    Table,
    decode,
    read_table,
    sniff_delimiter,
)
from cases.importing.report import ImportReport, Problem, RowResult

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportReport",
    "Problem",
    "RowResult",
    "Table",
    "decode",
    "organisations_import",
    "parse_date",
    "parse_kind",
    "parse_level",
    "read_table",
    "sniff_delimiter",
    "split_list",
]
