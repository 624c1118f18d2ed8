"""A staff member's own settings: their name as colleagues see it, and their signature;
and the helpdesk's signature that managers keep.

An empty signature removes one's own, so replies carry the helpdesk's signature again.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cases.models import HelpdeskSignature, Signature


@transaction.atomic
def staff_profile_update(
    *, user: AbstractBaseUser, first_name: str, last_name: str, signature: str
) -> AbstractBaseUser:
    """Save ``user``'s name and signature (empty signature: the helpdesk's is used)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    if signature.strip():
        Signature.objects.update_or_create(user=user, defaults={"text": signature.strip()})
    else:
        Signature.objects.filter(user=user).delete()
    return user


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


@transaction.atomic
def helpdesk_signature_update(
    *, text_nl: str, text_en: str, actor: AbstractBaseUser | None
) -> HelpdeskSignature:
    """Keep the helpdesk's signature (one row); no English: the Dutch is used for both.

    Line ends are kept as mail writes them (``\n``), from whichever form the text came.
    Who may is the caller's check (managers: ``staff.roles.manager_required``).
    """
    signature, _created = HelpdeskSignature.objects.update_or_create(
        pk=HelpdeskSignature.SINGLETON,
        defaults={
            "text_nl": _plain(text_nl),
            "text_en": _plain(text_en),
            "updated_by": actor,
        },
    )
    return signature
