"""A call taken on the log-a-call screen: the call on its case, and the callback it calls for.

This flow crosses two apps: cases log the call (``cases.services``), callbacks book
the call back. It lives here, above cases, so cases never need to know callbacks.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cases.models import (
    Case,
    Category,
    Channel,
    Contact,
    Organisation,
    PhoneCall,
    Priority,
)
from cases.services import (
    CallDetails,
    call_log,
    case_open,
    contact_find_or_create,
    organisation_find_or_create,
)
from scheduling.callbacks.booking import callback_for_call


@transaction.atomic
def call_take(
    *,
    actor: AbstractBaseUser | None,
    call: CallDetails,
    case: Case | None = None,
    contact: Contact | None = None,
    organisation: Organisation | None = None,
    caller_name: str = "",
    caller_email: str = "",
    organisation_name: str = "",
    subject: str = "",
    category: Category | None = None,
    priority: str = Priority.NORMAL,
    callback_at: dt.datetime | None = None,
) -> PhoneCall:
    """A call taken on the log-a-call screen: on an open case, or on a case opened for it.

    An unknown caller who gives a name becomes a contact (``contact_find_or_create``).
    Without ``case`` a phone case is opened at the moment the call started, for the
    caller and their organisation. Everything happens in one transaction, so a
    failure leaves no half-made contact or case behind.
    """
    if contact is None and caller_name.strip():
        contact = contact_find_or_create(
            name=caller_name,
            number=call.number,
            email=caller_email,
            organisation=organisation,
            organisation_name=organisation_name,
        )
    elif contact is None and organisation is None and organisation_name.strip():
        organisation = organisation_find_or_create(name=organisation_name)
    if organisation is None and contact is not None:
        organisation = contact.organisation

    if case is None:
        case = case_open(
            subject=subject,
            channel=Channel.PHONE,
            actor=actor,
            organisation=organisation,
            contact=contact,
            category=category,
            priority=priority,
            created_at=call.started_at,
        )
    record = call_log(case=case, actor=actor, call=call)
    # The caller asked to be called back (outcome CALLBACK or a time given), or
    # called outside phone hours: the callback queue takes the call over. A
    # refused time (``scheduling.callbacks.errors.CallbackError``) undoes it all.
    callback_for_call(call=record, actor=actor, requested_at=callback_at)
    return record
