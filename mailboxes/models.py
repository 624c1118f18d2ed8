"""A mailbox the helpdesk reads, as configuration, and what its last polls found.

The row names where the password or client secret is (an environment variable or a
file in the secrets folder), never the secret itself, so neither the database nor a
form ever holds it readable.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mailboxes.problems import Problem

#: Environment variables a mailbox may name: only these, so no form can point a
#: mailbox at the database password or the secret key and send it to a server.
SECRET_ENV_PATTERN = re.compile(r"^MAILBOX_[A-Z0-9_]{1,100}$")
#: Plain (unencrypted) IMAP is accepted only for a server on this machine.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class Kind(models.TextChoices):
    IMAP = "imap", _("IMAP")
    GRAPH = "graph", _("Microsoft 365 (Microsoft Graph)")


class Auth(models.TextChoices):
    PASSWORD = "password", _("password (IMAP LOGIN)")
    MICROSOFT = "microsoft", _("Microsoft 365 app (OAuth2 client credentials)")
    GOOGLE = "google", _("Google Workspace service account (OAuth2, domain-wide delegation)")


class Security(models.TextChoices):
    TLS = "tls", _("TLS from the start (IMAPS, port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("none: only for a server on this machine")


class AfterFetch(models.TextChoices):
    MOVE = "move", _("move to the folder for processed mail")
    SEEN = "seen", _("leave in the folder, marked as read")


class Mailbox(models.Model):
    """One mailbox (info@…) and how to reach it; its state is written by the polls."""

    name = models.SlugField(
        _("name"),
        max_length=40,
        unique=True,
        help_text=_("Short name for commands and logs, e.g. info."),
    )
    address = models.EmailField(_("address"), max_length=320)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.IMAP)
    active = models.BooleanField(_("active"), default=True)
    # --- Connection --------------------------------------------------------------------
    host = models.CharField(_("IMAP server"), max_length=255, blank=True)
    port = models.PositiveIntegerField(
        _("port"), null=True, blank=True, help_text=_("Empty: 993 with TLS, 143 otherwise.")
    )
    security = models.CharField(
        _("encryption"), max_length=8, choices=Security.choices, default=Security.TLS
    )
    auth = models.CharField(
        _("sign-in"), max_length=10, choices=Auth.choices, default=Auth.PASSWORD
    )
    username = models.CharField(
        _("user name"), max_length=320, blank=True, help_text=_("Empty: the address.")
    )
    tenant_id = models.CharField(_("Microsoft tenant (directory) id"), max_length=100, blank=True)
    client_id = models.CharField(_("Microsoft app (client) id"), max_length=100, blank=True)
    secret_env = models.CharField(
        _("secret in environment variable"),
        max_length=110,
        blank=True,
        help_text=_(
            "Name of the variable that holds the password, client secret or service account key."
        ),
    )
    secret_file = models.CharField(
        _("secret in file"),
        max_length=200,
        blank=True,
        help_text=_(
            "File name in the secrets folder that holds the password, client secret or "
            "service account key."
        ),
    )
    folder = models.CharField(_("folder to read"), max_length=200, default="INBOX")
    after_fetch = models.CharField(
        _("after taking in"), max_length=8, choices=AfterFetch.choices, default=AfterFetch.MOVE
    )
    processed_folder = models.CharField(
        _("folder for processed mail"), max_length=200, default="Processed", blank=True
    )
    # --- State, written by the polls ---------------------------------------------------
    polling_since = models.DateTimeField(_("poll running since"), null=True, blank=True)
    last_poll_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful poll"), null=True, blank=True)
    taken_in = models.PositiveIntegerField(_("messages taken in"), default=0)
    problem = models.CharField(
        _("last error"), max_length=20, choices=Problem.choices, blank=True, default=""
    )
    problem_detail = models.TextField(_("server's words"), blank=True)
    problem_at = models.DateTimeField(_("error since"), null=True, blank=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    #: Highest UID taken in under ``uidvalidity`` (the folder is read from there on
    #: when mail stays in it, marked as read).
    last_uid = models.BigIntegerField(_("last UID taken in"), null=True, blank=True)
    #: Microsoft Graph: the delta link of the last complete poll.
    delta_link = models.TextField(_("Graph delta link"), blank=True)
    # --- The last connection test, run by the worker -------------------------------------
    check_requested_at = models.DateTimeField(_("connection test asked for"), null=True, blank=True)
    check_finished_at = models.DateTimeField(_("connection test done"), null=True, blank=True)
    check_ok = models.BooleanField(_("connection test passed"), null=True, blank=True)
    check_result = models.TextField(_("connection test result"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret_env="") | Q(secret_file=""),
                name="mailbox_one_secret_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.address})"

    @property
    def source(self) -> str:
        """What the intake records as "received through" for this mailbox's mail."""
        return f"mailbox:{self.name}"

    def check_state(self, *, now: dt.datetime, wait: dt.timedelta) -> str:
        """Where the last connection test is: "" (none asked for), "running", "late" (the
        worker did not answer within ``wait``), "passed" or "failed"."""
        if self.check_requested_at is None:
            return ""
        if self.check_finished_at is None:
            return "late" if now - self.check_requested_at > wait else "running"
        return "passed" if self.check_ok else "failed"

    @property
    def login(self) -> str:
        return self.username or self.address

    @property
    def imap_port(self) -> int:
        return self.port or (993 if self.security == Security.TLS else 143)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.secret_env and not SECRET_ENV_PATTERN.match(self.secret_env):
            errors["secret_env"] = _(
                "Use a variable whose name starts with MAILBOX_ (capitals, digits, _)."
            )
        if self.secret_file and ("/" in self.secret_file or self.secret_file.startswith(".")):
            errors["secret_file"] = _("A file name in the secrets folder, without a path.")
        if self.secret_env and self.secret_file:
            errors["secret_file"] = _("Name a variable or a file, not both.")
        if not self.secret_env and not self.secret_file:
            errors["secret_env"] = _("Name the variable or the file that holds the secret.")
        if self.kind == Kind.IMAP and not self.host:
            errors["host"] = _("An IMAP mailbox needs its server.")
        if self.kind == Kind.GRAPH and self.auth != Auth.MICROSOFT:
            errors["auth"] = _("Microsoft Graph signs in with a Microsoft 365 app.")
        if self.auth == Auth.GOOGLE and self.kind != Kind.IMAP:
            errors["auth"] = _("A Google service account signs in over IMAP.")
        if self.auth == Auth.MICROSOFT:
            for field in ("tenant_id", "client_id"):
                if not getattr(self, field):
                    errors[field] = _("Needed for signing in with a Microsoft 365 app.")
        if self.security == Security.NONE and self.host not in LOOPBACK_HOSTS:
            errors["security"] = _(
                "Mail and passwords would cross the network unencrypted: use TLS or STARTTLS."
            )
        if self.after_fetch == AfterFetch.MOVE and not self.processed_folder:
            errors["processed_folder"] = _("Name the folder processed mail is moved to.")
        if errors:
            raise ValidationError(errors)
