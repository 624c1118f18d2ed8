"""The writes of the staff app: managing staff members and their two-factor sign-in."""

from staff.services.members import (
    StaffMemberError,
    staff_member_create,
    staff_member_deactivate,
    staff_member_lockout_clear,
    staff_member_reactivate,
    staff_member_role_set,
    staff_member_two_factor_reset,
)
from staff.services.two_factor import (
    BACKUP_CODE_COUNT,
    CodeCheck,
    two_factor_backup_codes_renew,
    two_factor_confirm,
    two_factor_device_start,
    two_factor_remove,
    two_factor_verify,
)

__all__ = [
    "BACKUP_CODE_COUNT",
    "CodeCheck",
    "StaffMemberError",
    "staff_member_create",
    "staff_member_deactivate",
    "staff_member_lockout_clear",
    "staff_member_reactivate",
    "staff_member_role_set",
    "staff_member_two_factor_reset",
    "two_factor_backup_codes_renew",
    "two_factor_confirm",
    "two_factor_device_start",
    "two_factor_remove",
    "two_factor_verify",
]
