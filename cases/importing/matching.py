"""Which known organisation a row is about: by KvK number, else by exact name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases.importing.report import RowProblems
from cases.importing.validation import RowValues
from cases.models import Organisation

#: KvK number → (row number, name) of the first row in the file that carries it.
FirstRows = dict[str, tuple[int, str]]


def organisation_match(
    *, row: RowValues, first_rows: FirstRows, problems: RowProblems
) -> Organisation | None:
    """The organisation the row updates, or None: a new one (or a problem, added to ``problems``).

    By KvK number first; a KvK number given to another name earlier in the file is
    a problem. Else by exact name: with a KvK number in the row, only an organisation
    without one matches, and a namesake registered under another KvK number is a
    problem. Several organisations of that name without a KvK number to tell them
    apart are a problem too.
    """
    name, kvk = row.name, row.kvk
    if kvk:
        first = first_rows.get(kvk)
        if first is not None and first[1] != name:
            problems.add(
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
            problems.add(
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
        problems.add(
            "name",
            _("Several organisations are named “%(name)s”; add the KvK number.") % {"name": name},
        )
        return None
    return by_name[0] if by_name else None
