"""Writes of the register import: an organisation as the register export has it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from cases.models import Organisation, PhoneNumber


@transaction.atomic
def organisation_register_update(
    *, organisation: Organisation, new_numbers: Sequence[str] = ()
) -> Organisation:
    """Save an organisation with the register's details, and add its new phone numbers.

    The caller has already merged the register's cells into ``organisation``
    (empty cells never erase what is known) and passes only numbers that are not
    recorded yet, in E.164 form (``cases.phones.normalise``).
    """
    organisation.full_clean()
    organisation.save()
    for number in new_numbers:
        PhoneNumber.objects.create(organisation=organisation, number=number)
    return organisation
