"""The names of what privacy counts, for pages and reports (kind → label)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cases_anonymised": _("cases anonymised"),
    "originals_removed": _("cases whose mail originals and attachments were removed"),
    "mail_without_case_wiped": _("received mails without a case wiped"),
    "calls_without_case_wiped": _("calls from the phone system without a case wiped"),
    "contacts_anonymised": _("contacts anonymised"),
    "mailbox_errors_blanked": _("mailbox error texts blanked"),
    "access_log_deleted": _("access log entries deleted"),
    "errors": _("errors (left for the next run)"),
    "unfinished": _("stopped for time (continued by the next run)"),
    "contacts": _("contacts"),
    "phone_numbers": _("phone numbers"),
    "cases": _("cases"),
    "inbound_mail": _("received mails"),
    "outbound_mail": _("sent mails"),
    "calls": _("calls"),
    "callbacks": _("callbacks"),
    "notes": _("notes"),
    "attachments": _("attachments"),
    "changes": _("timeline changes"),
    "phone_system_calls": _("calls from the phone system"),
    "blocked_numbers": _("blocked numbers"),
    "mailbox_errors": _("mailbox error texts"),
    "others_mail_scrubbed": _("other people's mails with the person's details replaced"),
    "organisation_notes": _("organisation notes"),
}


def labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) pairs in the order given; unknown kinds keep their key."""
    return [(str(LABELS.get(kind, kind)), count) for kind, count in counts.items()]
