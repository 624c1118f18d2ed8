"""The builders of the tests: real rows with sensible defaults, made as the helpdesk makes them.

Cases, PSO statuses, notes, calls and callbacks go through the real services
(``case_open`` starts the first-answer clock, ``callback_schedule`` picks a
slot), so a test gets what production would have stored. Override any field by
keyword; reach into a related row with ``__``, e.g.
``CallerCaseFactory(contact__name="Els Bakker", contact__phone="+31546120001")``.

``CaseRowFactory`` is the one exception: a case row exactly as given, for the
report tests whose figures are worked out by hand from the stored fields.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from cases import services
from cases.models import (
    CallDirection,
    CallOutcome,
    Case,
    Category,
    Channel,
    Contact,
    InboundMessage,
    Note,
    Organisation,
    PhoneCall,
    PhoneNumber,
    Priority,
    PsoLevel,
    PsoStatus,
    Status,
)
from scheduling.callbacks.booking import callback_schedule
from scheduling.models import Callback
from staff.roles import MANAGER_GROUP, STAFF_GROUP
from telephony.models import PhoneSystem
from telephony.services import phone_system_create
from tests.timehelpers import local

# --- People -----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A signed-up user with no role: the helpdesk refuses them everything."""

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = Password("gebruiker-pass-123")
    email = ""


class StaffUserFactory(UserFactory):
    """A member of the helpdesk staff (the group the migrations made)."""

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=STAFF_GROUP))


class ManagerUserFactory(UserFactory):
    """A manager: the staff's work plus configuration, reports and the administration."""

    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=MANAGER_GROUP))


# --- Organisations and contacts ---------------------------------------------------------------


class PhoneNumberFactory(DjangoModelFactory):
    """A number (E.164) of a contact or of an organisation; name one of the two."""

    class Meta:
        model = PhoneNumber

    number = factory.Sequence(lambda n: f"+3154690{n:04d}")


class OrganisationFactory(DjangoModelFactory):
    """An organisation; ``pso=PsoLevel.TREDE_3`` records that status (``pso__valid_until=…``),
    ``phone="+31…"`` gives it a number of its own."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kvk_number = ""

    @factory.post_generation
    def pso(organisation, create, extracted, **kwargs):
        if create and extracted:
            PsoStatusFactory(organisation=organisation, level=extracted, **kwargs)

    @factory.post_generation
    def phone(organisation, create, extracted, **kwargs):
        if create and extracted:
            PhoneNumberFactory(organisation=organisation, number=extracted)


class PsoStatusFactory(DjangoModelFactory):
    """An assessment outcome, recorded through ``pso_status_record`` (so Aspirant gets its
    two years); in force since a hundred days ago unless told otherwise."""

    class Meta:
        model = PsoStatus

    organisation = factory.SubFactory(OrganisationFactory)
    level = PsoLevel.TREDE_3
    effective_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    valid_until = None
    reference = factory.LazyAttribute(lambda status: f"PSO-CERT-{status.organisation.pk}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.pso_status_record(**kwargs)


class ContactFactory(DjangoModelFactory):
    """A person who calls or mails; ``phone="+31…"`` gives them a number."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Contact {n}")
    organisation = None
    email = ""

    @factory.post_generation
    def phone(contact, create, extracted, **kwargs):
        if create and extracted:
            PhoneNumberFactory(contact=contact, number=extracted)


def category(slug: str = "trede") -> Category:
    """One of the categories the migrations made (``trede``, ``aspirant``, ``sroi``, …)."""
    return Category.objects.get(slug=slug)


# --- Cases and their timeline -----------------------------------------------------------------


class CaseFactory(DjangoModelFactory):
    """A case opened through ``case_open``: a fresh reference, the PSO snapshot, the clock.

    Takes what ``case_open`` takes: ``organisation``, ``contact`` (whose organisation the
    case gets when none is named), ``category``, ``priority``, ``assignee``, ``created_at``…
    """

    class Meta:
        model = Case

    subject = "Vraag over de Trede-certificering"
    channel = Channel.PHONE
    actor = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.case_open(**kwargs)


class UrgentMailCaseFactory(CaseFactory):
    """An urgent case by email: due one working day (8 office hours) after ``created_at``."""

    subject = "Vraag over de PSO-audit"
    channel = Channel.EMAIL
    priority = Priority.URGENT


class CallerCaseFactory(CaseFactory):
    """A phone case of Friday 20 November 2026 from Jan Jansen of Gemeente Almelo, who can be
    called back on +31546123456: what the callback tests start from."""

    subject = "Vraag over de PSO-status"
    contact = factory.SubFactory(
        ContactFactory,
        name="Jan Jansen",
        email="jan@almelo.nl",
        organisation=factory.SubFactory(OrganisationFactory, name="Gemeente Almelo", city="Almelo"),
        phone="+31546123456",
    )
    created_at = local(2026, 11, 20, 10)


class CaseRowFactory(DjangoModelFactory):
    """A case row stored exactly as given, not through ``case_open``: no clock, no snapshot.

    Only for figures worked out by hand from the stored fields (the SLA report).
    """

    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"ROW{n}")
    subject = factory.LazyAttribute(lambda case: f"Vraag {case.reference}")
    status = Status.OPEN


class NoteFactory(DjangoModelFactory):
    """An internal note on a case, through ``note_add``."""

    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    author = None
    body = "Teruggebeld."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.note_add(**kwargs)


class PhoneCallFactory(DjangoModelFactory):
    """A call logged on a case through ``call_log``: answered, so the case's first response."""

    class Meta:
        model = PhoneCall

    case = factory.SubFactory(CaseFactory)
    actor = None
    number = "+31546123456"
    started_at = factory.LazyFunction(timezone.now)
    duration = dt.timedelta()
    notes = ""
    outcome = CallOutcome.ANSWERED
    direction = CallDirection.INBOUND

    @classmethod
    def _create(cls, model_class, *args, case, actor, **call):
        return services.call_log(case=case, actor=actor, call=services.CallDetails(**call))


# --- Mail -------------------------------------------------------------------------------------


class InboundMessageFactory(DjangoModelFactory):
    """A received mail as intake stores it (parsed, raw kept), not yet placed on a case."""

    class Meta:
        model = InboundMessage

    received_at = factory.LazyFunction(timezone.now)
    source = "test"
    from_address = "janneke@almelo.nl"
    from_name = ""
    subject = "Vraag over Trede 1"
    text_body = "Goedemiddag,\n\nHoe komen wij van Aspirant naar Trede 1?\n\nJanneke"
    raw = factory.LazyAttribute(
        lambda m: f"From: {m.from_address}\r\nSubject: {m.subject}\r\n\r\n{m.text_body}".encode()
    )
    raw_sha256 = factory.LazyAttribute(
        lambda m: hashlib.sha256(m.raw + str(m.received_at).encode()).hexdigest()
    )
    size = factory.LazyAttribute(lambda m: len(m.raw))


# --- Callbacks --------------------------------------------------------------------------------


class CallbackFactory(DjangoModelFactory):
    """A callback booked through ``callback_schedule`` on Thursday 26 November 2026, 13:00:
    the first free slot of the next phone morning."""

    class Meta:
        model = Callback

    case = factory.SubFactory(CallerCaseFactory)
    number = "+31546123456"
    actor = None
    now = local(2026, 11, 26, 13)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return callback_schedule(**kwargs)


# --- Phone systems ------------------------------------------------------------------------------


class PhoneSystemFactory(DjangoModelFactory):
    """A phone system made through ``phone_system_create``; its one-time token is kept on
    the object as ``.token`` (the database holds only its hash)."""

    class Meta:
        model = PhoneSystem

    name = "Centrale PSO-helpdesk"
    actor = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        system, token = phone_system_create(**kwargs)
        system.token = token
        return system


class MailboxFactory(DjangoModelFactory):
    """An IMAP mailbox whose password is in ``MAILBOX_TEST_PASSWORD`` (set by the tests)."""

    class Meta:
        model = "mailboxes.Mailbox"

    name = factory.Sequence(lambda n: f"info{n}")
    address = factory.Sequence(lambda n: f"info{n}@pso.test")
    host = "127.0.0.1"
    secret_env = "MAILBOX_TEST_PASSWORD"
