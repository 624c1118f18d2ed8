"""The signed links in confirmation mails: one purpose each, expiring, no personal data.

A link carries only the row's id, signed with ``SECRET_KEY`` and a salt that
names its purpose, so a link to see a question cannot be used to move a
callback, and a changed or made-up link is refused. ``max_age`` makes it expire
(``settings.PUBLIC_LINK_DAYS``). The id itself says nothing about the person.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

CALLBACK = "public.callback.manage"
QUESTION = "public.question.status"
FORM_STARTED = "public.form.started"


class BadLink(Exception):
    """The link was changed, made up, is for something else, or has expired."""


def link_token(purpose: str, pk: int) -> str:
    return signing.dumps(pk, salt=purpose, compress=False)


def link_pk(purpose: str, token: str) -> int:
    """The id a link of ``purpose`` names; ``BadLink`` when it is not valid (any more)."""
    try:
        value = signing.loads(token, salt=purpose, max_age=settings.PUBLIC_LINK_DAYS * 86400)
    except (signing.BadSignature, ValueError):
        raise BadLink(token) from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadLink(token)
    return value


def started_token(at: float) -> str:
    """When a form was drawn, signed: the fill-time check reads it back."""
    return signing.dumps(at, salt=FORM_STARTED, compress=False)


def started_at(token: str, max_age: int) -> float | None:
    """The time a form was drawn, or None when the value is not ours or too old."""
    try:
        value = signing.loads(token, salt=FORM_STARTED, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
