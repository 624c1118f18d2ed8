"""Cases: one enquiry of an organisation or person, from first contact to closure."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models.contacts import Contact
from cases.models.organisations import Organisation, PsoLevel


class Channel(models.TextChoices):
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    EMAIL = "email", pgettext_lazy("channel", "Email")
    WEB = "web", pgettext_lazy("channel", "Web")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")

    @classmethod
    def active(cls) -> list[str]:
        """Statuses in which a case still needs the helpdesk."""
        return [cls.NEW, cls.OPEN, cls.WAITING]


class Category(models.Model):
    """What an enquiry is about; managers maintain the list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CaseCounter(models.Model):
    """The last case number handed out per year, so references never repeat."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number handed out"), default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The first-response target (see scheduling.sla). The working time allowed
    # is copied onto the case when it is opened, so a changed target applies to
    # new cases only; while the case waits on the customer the clock pauses and
    # the due time moves by the working time spent waiting.
    sla_target = models.DurationField(_("response target (working time)"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due at"), null=True, blank=True, db_index=True)
    sla_paused_since = models.DateTimeField(_("target paused since"), null=True, blank=True)
    sla_paused_total = models.DurationField(
        _("target paused for (working time)"), default=dt.timedelta
    )
    response_time = models.DurationField(
        _("first response time (working time)"),
        null=True,
        blank=True,
        help_text=_("Working time from opening to the first answer, paused time excluded."),
    )
    late_by = models.DurationField(
        _("first answer late by (working time)"),
        null=True,
        blank=True,
        help_text=_("Zero when answered in time; empty while unanswered."),
    )
    # A case merged into another (``cases.services.merge``): closed, its calls, mail and
    # notes moved to the survivor; it stays findable by its reference and points there.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
    )
    # Optimistic locking: every change goes through cases.services.case_update,
    # which only writes when the version the user saw is still current.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # The organisation's PSO status when the case was opened: a snapshot, so a
    # later certificate does not rewrite what the helpdesk knew at the time.
    pso_level_at_open = models.CharField(
        _("PSO level when opened"), max_length=10, choices=PsoLevel.choices, default=PsoLevel.NONE
    )
    pso_valid_until_at_open = models.DateField(
        _("PSO status valid until (when opened)"), null=True, blank=True
    )
    pso_reference_at_open = models.CharField(
        _("PSO reference (when opened)"), max_length=60, blank=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "priority"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["organisation", "status"]),
            # The urgent cases alone (an eighth of all): the callback queue sorts
            # urgent first by looking their ids up here, not by joining every case.
            models.Index(
                fields=["id"], condition=models.Q(priority=Priority.URGENT), name="case_urgent_ids"
            ),
            # Active cases still waiting for their first answer, by due time: the
            # at-risk page and the dashboard's counts (a few thousand of 200,000).
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=Status.active(), first_response_at__isnull=True),
                name="case_unanswered_due",
            ),
            # The dashboard's lists: the active cases of one assignee (or of nobody) in
            # its order, urgent first then oldest, and the active urgent cases oldest
            # first; each list reads its fifteen from the index instead of sorting
            # thousands of active cases.
            models.Index(
                fields=["assignee", "-priority", "created_at", "id"],
                condition=models.Q(status__in=Status.active()),
                name="case_active_by_assignee",
            ),
            # "Nobody" apart: PostgreSQL reads an index in order after an equality, not
            # after IS NULL.
            models.Index(
                fields=["-priority", "created_at", "id"],
                condition=models.Q(status__in=Status.active(), assignee__isnull=True),
                name="case_active_unassigned",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status__in=Status.active(), priority=Priority.URGENT),
                name="case_active_urgent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status in Status.active()
