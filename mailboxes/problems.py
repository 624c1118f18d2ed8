"""What can go wrong with a mailbox, in plain words a manager can act on.

Each failure of a poll or a connection test is one ``Problem`` code, stored on the
mailbox with the server's own text as detail; the page shows the code's label in
the reader's language ("wachtwoord geweigerd", "map bestaat niet").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    NONE = "", _("No problem")
    SECRET_MISSING = "secret_missing", _("the password or secret is not set on the server")
    CONNECT = "connect", _("server cannot be reached")
    TIMEOUT = "timeout", _("server does not answer (timed out)")
    CERTIFICATE = "certificate", _("the server's certificate does not verify")
    AUTH = "auth", _("password refused")
    TOKEN = "token", _("Microsoft refused the app's sign-in (token)")
    GOOGLE_TOKEN = "google_token", _("Google refused the service account's sign-in (token)")
    FOLDER = "folder", _("folder does not exist")
    PROCESSED_FOLDER = "processed_folder", _("folder for processed mail does not exist")
    DROPPED = "dropped", _("the connection was broken off")
    THROTTLED = "throttled", _("too many requests: the server asks to wait")
    PROTOCOL = "protocol", _("unexpected answer from the server")
    STORE = "store", _("a message could not be stored")


class MailboxError(Exception):
    """A failure of a mailbox, with its ``Problem`` and the server's own words."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(f"{problem.label}: {detail}" if detail else str(problem.label))
        self.problem = problem
        self.detail = detail[:1000]
