"""The secret of a mailbox (password or client secret), read when it is needed.

It comes from an environment variable whose name starts with ``MAILBOX_``, or from a
file in ``settings.MAILBOX_SECRETS_DIR``; never from the database. Anything else
(another variable, a path outside the folder) is refused, so a mailbox cannot be
used to send the helpdesk's own secrets to a server of someone's choosing.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from mailboxes.models import SECRET_ENV_PATTERN, Mailbox
from mailboxes.problems import MailboxError, Problem


def secret_read(mailbox: Mailbox) -> str:
    """The mailbox's secret, or ``MailboxError(SECRET_MISSING)`` saying where it was looked for."""
    if mailbox.secret_env:
        if not SECRET_ENV_PATTERN.match(mailbox.secret_env):
            raise MailboxError(Problem.SECRET_MISSING, f"{mailbox.secret_env}: not allowed")
        value = os.environ.get(mailbox.secret_env, "")
        if not value:
            raise MailboxError(Problem.SECRET_MISSING, f"{mailbox.secret_env} is not set")
        return value
    if mailbox.secret_file:
        folder = Path(settings.MAILBOX_SECRETS_DIR).resolve()
        path = (folder / mailbox.secret_file).resolve()
        if path.parent != folder:
            raise MailboxError(Problem.SECRET_MISSING, f"{mailbox.secret_file}: not allowed")
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MailboxError(
                Problem.SECRET_MISSING, f"{mailbox.secret_file}: {exc.strerror or exc}"
            ) from exc
        if not value:
            raise MailboxError(Problem.SECRET_MISSING, f"{mailbox.secret_file} is empty")
        return value
    raise MailboxError(Problem.SECRET_MISSING, "no variable or file named")
