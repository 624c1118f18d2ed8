"""Writing one row's plan, through the services, inside the import's transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases import services
from cases.importing.planning import RowPlan
from cases.importing.report import RowProblems, RowResult
from cases.models import PsoStatus
from cases.models.organisations import PsoSource


def plan_apply(*, plan: RowPlan, problems: RowProblems) -> RowResult | None:
    """Save the row's organisation, numbers and status; None when the database refuses them.

    The organisation is saved only when it is new or changed. A status is recorded
    once: one with the same organisation, level and start date is left as it is,
    so importing a file twice changes nothing. A refused row writes nothing and
    becomes a problem of the whole row.
    """
    result = RowResult(
        row=plan.row.number,
        organisation=plan.row.name,
        action=plan.action,
        changed=[] if plan.created else plan.changed,
    )
    organisation, status = plan.organisation, plan.status
    try:
        with transaction.atomic():
            if plan.created or plan.changed:
                services.organisation_register_update(
                    organisation=organisation, new_numbers=plan.new_numbers
                )
            if status is not None:
                result.status_label = (
                    f"{status.get_level_display()} {status.effective_from:%d-%m-%Y}"
                )
                exists = PsoStatus.objects.filter(
                    organisation=organisation,
                    level=status.level,
                    effective_from=status.effective_from,
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
        problems.add("", _("This row could not be saved: %(reason)s") % {"reason": exc})
        return None
    return result
