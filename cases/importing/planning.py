"""What one row would change: the organisation merged with the row, the diff, the new status.

Nothing is written here; the plan is validated as the models would validate it,
so that every problem is reported with its column before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases import phones
from cases.importing.report import RowProblems
from cases.importing.validation import RowValues
from cases.models import Organisation, OrganisationKind, PsoStatus
from cases.models.organisations import PsoSource
from cases.services import default_valid_until

#: The organisation's fields a register row may change, compared for the report.
_COMPARED = ("name", "kvk_number", "kind", "city", "website", "email_domains")


@dataclass
class RowPlan:
    row: RowValues
    organisation: Organisation  # merged with the row, not saved
    created: bool
    changed: list[str]  # "field: “old” → “new”" and the numbers added, for people
    new_numbers: list[str]  # E.164 numbers the organisation does not have yet
    status: PsoStatus | None  # the row's status, without its organisation

    @property
    def action(self) -> str:
        if self.created:
            return "create"
        return "update" if self.changed else "unchanged"


def row_plan(
    *, row: RowValues, organisation: Organisation | None, problems: RowProblems
) -> RowPlan | None:
    """The plan of a row for ``organisation`` (None: a new one), or None when it is invalid."""
    created = organisation is None
    if organisation is None:
        organisation = Organisation(name=row.name, kind=row.kind or OrganisationKind.COMPANY)
    before = {f: getattr(organisation, f) for f in _COMPARED}
    organisation_merge(organisation, row)
    try:
        organisation.full_clean()
    except ValidationError as exc:
        problems.add_validation(exc)

    status = None
    if row.level is not None and row.effective_from is not None:
        # A status is recorded when the row names its level and start date.
        status = _status(row, row.level, row.effective_from, problems)
    if problems:
        return None

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
    new_numbers = [n for n in dict.fromkeys(row.numbers) if n not in known]
    if new_numbers:
        changed.append(
            _("phone numbers added: %(numbers)s")
            % {"numbers": ", ".join(phones.display(n) for n in new_numbers)}
        )
    return RowPlan(
        row=row,
        organisation=organisation,
        created=created,
        changed=changed,
        new_numbers=new_numbers,
        status=status,
    )


def organisation_merge(organisation: Organisation, row: RowValues) -> None:
    """Take the row's details into ``organisation``.

    The name always follows the register; other empty cells never erase what the
    helpdesk already knows, and email domains are added to the ones recorded.
    """
    organisation.name = row.name
    if row.kvk:
        organisation.kvk_number = row.kvk
    if row.kind:
        organisation.kind = row.kind
    if row.city:
        organisation.city = row.city
    if row.website:
        organisation.website = row.website
    if row.email_domains:
        organisation.email_domains = "\n".join([*organisation.domains, *row.email_domains])


def _status(
    row: RowValues, level: str, effective_from: dt.date, problems: RowProblems
) -> PsoStatus:
    status = PsoStatus(
        level=level,
        effective_from=effective_from,
        valid_until=row.valid_until or default_valid_until(level, effective_from),
        reference=row.reference,
        note=row.note,
        source=PsoSource.IMPORT,
    )
    try:
        status.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        # The one rule across fields of a status is "valid until" after "from".
        problems.add_validation(exc, whole_row="valid_until")
    return status
