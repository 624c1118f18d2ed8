"""Settings of the mailboxes the helpdesk reads and sends through (docs/mailboxes.md).

Read from the environment like the rest of ``helpdesk.settings``, which imports them.
"""

from __future__ import annotations

from pathlib import Path

from helpdesk.env import env_int, env_str

__all__ = [
    "MAILBOX_SECRETS_DIR",
    "MAILBOX_CA_FILE",
    "MAILBOX_TIMEOUT_SECONDS",
    "MAILBOX_FETCH_BATCH",
    "MAILBOX_FETCH_BATCH_BYTES",
    "MAILBOX_MICROSOFT_LOGIN_URL",
    "MAILBOX_GRAPH_URL",
    "MAILBOX_GRAPH_MAX_WAIT_SECONDS",
    "MAILBOX_SENDING",
    "MAILBOX_GOOGLE_TOKEN_URL",
    "MAILBOX_CHECK_WAIT_SECONDS",
]

# The same default as settings.VAR_DIR.
_VAR_DIR = Path(env_str("HELPDESK_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var")))

# Mailboxes read by the helpdesk (docs/mailboxes.md): their secrets come from
# MAILBOX_* variables or from files in this folder, never from the database.
MAILBOX_SECRETS_DIR = env_str("MAILBOX_SECRETS_DIR", str(_VAR_DIR / "secrets"))
# Extra certificate authorities trusted besides the system's (PEM), e.g. a company CA.
MAILBOX_CA_FILE = env_str("MAILBOX_CA_FILE")
MAILBOX_TIMEOUT_SECONDS = env_int("MAILBOX_TIMEOUT_SECONDS", 30)
MAILBOX_FETCH_BATCH = env_int("MAILBOX_FETCH_BATCH", 100)
MAILBOX_FETCH_BATCH_BYTES = env_int("MAILBOX_FETCH_BATCH_BYTES", 20 * 1024 * 1024)
MAILBOX_MICROSOFT_LOGIN_URL = env_str(
    "MAILBOX_MICROSOFT_LOGIN_URL", "https://login.microsoftonline.com"
)
MAILBOX_GRAPH_URL = env_str("MAILBOX_GRAPH_URL", "https://graph.microsoft.com/v1.0")
MAILBOX_GRAPH_MAX_WAIT_SECONDS = env_int("MAILBOX_GRAPH_MAX_WAIT_SECONDS", 60)
# The mailbox whose Microsoft 365 app sends mail with the Graph and SMTP OAuth2 backends.
MAILBOX_SENDING = env_str("MAILBOX_SENDING")
# Google's OAuth 2.0 token endpoint (service accounts of Google Workspace mailboxes).
MAILBOX_GOOGLE_TOKEN_URL = env_str(
    "MAILBOX_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token"
)
# How long the mailboxes page waits for the worker's answer to "test connection".
MAILBOX_CHECK_WAIT_SECONDS = env_int("MAILBOX_CHECK_WAIT_SECONDS", 120)
