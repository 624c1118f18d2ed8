"""Which addresses the helpdesk's mail can be sent to, written as the mail server needs them.

Plain rules, no database. An address with a non-ASCII domain (``idn@bücher.example``)
is sent to its IDNA form (``idn@xn--bcher-kva.example``), which every mail server
understands. A non-ASCII *local part* (``jösé@example.nl``) needs SMTPUTF8 end to
end; the helpdesk's mail backends do not offer it, so such an address is refused
before anything is recorded, with a message that says why, rather than failing
later in the background.
"""

from __future__ import annotations

from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

#: Characters that never belong in an address we send to (header injection).
_FORBIDDEN = set('\r\n\x00<>,;"')


class UndeliverableAddress(ValueError):
    """An address the helpdesk cannot send to; the message is for the user."""

    def __init__(self, address: str, reason: str) -> None:
        self.address = address
        self.reason = reason
        super().__init__(
            _("Cannot send to %(address)s: %(reason)s") % {"address": address, "reason": reason}
        )


def deliverable_address(address: str) -> str:
    """``address`` as it goes on the envelope and in the To header, or ``UndeliverableAddress``.

    The domain is written in IDNA (punycode); the local part must be ASCII.
    """
    address = (address or "").strip()
    if not address or _FORBIDDEN & set(address) or address.count("@") != 1:
        raise UndeliverableAddress(address, _("this is not one email address."))
    local, domain = address.rsplit("@", 1)
    if not local.isascii():
        raise UndeliverableAddress(
            address,
            _("the part before the @ has characters our mail server cannot send to."),
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise UndeliverableAddress(address, _("the domain name is not valid.")) from None
    result = f"{local}@{ascii_domain}"
    try:
        validate_email(result)
    except ValidationError:
        raise UndeliverableAddress(address, _("this is not a valid email address.")) from None
    return result


def deliverable_recipients(header: str) -> list[str]:
    """The recipients of a stored To line, each as ``deliverable_address`` writes it."""
    return [deliverable_address(addr) for _name, addr in getaddresses([header]) if addr]
