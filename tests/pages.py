"""Pages the tests walk one by one: every page of the manager's menu, by URL name.

Each can be asked for with GET and no arguments; the browser layout and axe checks and
the Dutch-everywhere check go through all of them, so a page added to the menu is added
here once.
"""

MANAGER_PAGES = [
    "report",
    "calendar_preview",
    "staff_member_list",
    "organisation_import",
    "helpdesk_signature",
    "staff_member_create",
    "public_pages_settings",
    "mailbox_list",
    "mailbox_create",
    "privacy:overview",
    "privacy:access_log",
    "telephony_systems",
]
