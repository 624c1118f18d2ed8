"""The write paths of cases: every view, import, mail intake and task calls these.

Each function is keyword-only, runs in one transaction and returns what it made.
No rule lives in ``save()`` or in signals: what happens to a case is read here.

- ``pso``: an organisation's PSO history;
- ``cases``: opening a case and changing it, with its timeline trail;
- ``timeline``: notes and phone calls on a case;
- ``contacts``: the caller and the organisation they name;
- ``register``: an organisation as the register import has it;
- ``merge``: merging a case into another, and undoing it;
- ``saved_filters``: the case list's filters saved under a name;
- ``profile``: a staff member's own name and signature; the helpdesk's signature.
"""

from cases.services.cases import (
    SLA_FIELDS,
    TRACKED_FIELDS,
    CaseConflict,
    case_open,
    case_update,
)
from cases.services.contacts import contact_find_or_create, organisation_find_or_create
from cases.services.merge import MergeRefused, case_merge, case_merge_undo, merge_refusal
from cases.services.profile import helpdesk_signature_update, staff_profile_update
from cases.services.pso import (
    ASPIRANT_VALIDITY,
    default_valid_until,
    organisation_pso_refresh,
    pso_now_roll_over,
    pso_status_record,
)
from cases.services.register import organisation_register_update
from cases.services.saved_filters import (
    saved_filter_delete,
    saved_filter_query,
    saved_filter_save,
)
from cases.services.timeline import CallDetails, call_log, note_add

__all__ = [
    "ASPIRANT_VALIDITY",
    "SLA_FIELDS",
    "TRACKED_FIELDS",
    "CallDetails",
    "CaseConflict",
    "MergeRefused",
    "call_log",
    "case_merge",
    "case_merge_undo",
    "case_open",
    "case_update",
    "contact_find_or_create",
    "default_valid_until",
    "merge_refusal",
    "note_add",
    "organisation_find_or_create",
    "organisation_register_update",
    "organisation_pso_refresh",
    "pso_now_roll_over",
    "pso_status_record",
    "saved_filter_delete",
    "saved_filter_query",
    "saved_filter_save",
    "helpdesk_signature_update",
    "staff_profile_update",
]
