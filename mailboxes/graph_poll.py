"""One poll of a Microsoft 365 mailbox through Graph: delta, fetch, store, then move.

The same guarantees as IMAP (``mailboxes.imap_poll``): each message is stored through
the intake (keyed ``graph/<immutable id>``) and committed before it is moved; the delta
link is kept only after a round was worked off completely, so a poll that stopped
half-way lists the same messages again and the dedupe recognises those it stored.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from mailboxes.credentials import secret_read
from mailboxes.graph import GraphClient
from mailboxes.models import AfterFetch, Mailbox
from mailboxes.problems import MailboxError, Problem
from mailboxes.selectors import stored_keys
from mailboxes.services import mailbox_progress
from mailboxes.taking_in import PollReport, message_take, waiting_hand_over
from mailboxes.tokens import GRAPH_SCOPE, access_token, tokens_forget


def graph_client(mailbox: Mailbox) -> GraphClient:
    secret = secret_read(mailbox)
    app = {"tenant_id": mailbox.tenant_id, "client_id": mailbox.client_id, "secret": secret}

    def token(fresh: bool) -> str:
        if fresh:
            tokens_forget(**app)
        return access_token(**app, scope=GRAPH_SCOPE)

    return GraphClient(
        base_url=settings.MAILBOX_GRAPH_URL,
        address=mailbox.address,
        token=token,
        timeout=settings.MAILBOX_TIMEOUT_SECONDS,
        ca_file=settings.MAILBOX_CA_FILE,
        max_wait=settings.MAILBOX_GRAPH_MAX_WAIT_SECONDS,
    )


def graph_poll(
    *, mailbox: Mailbox, report: PollReport, inline: bool = False, client: GraphClient | None = None
) -> None:
    client = client or graph_client(mailbox)
    url = mailbox.delta_link or client.delta_start(mailbox.folder)
    # The whole round is listed before anything is moved: moving changes the folder
    # the pages describe. Only ids are kept, so a large round stays small in memory.
    items: list[dict] = []
    delta_link = ""
    for page in client.delta(url):
        items.extend(
            {"id": item["id"], "isRead": item.get("isRead")}
            for item in page.items
            if "@removed" not in item and item.get("id")  # moved away (by us) or deleted
        )
        delta_link = page.delta_link or delta_link
    processed_id = ""
    if items and mailbox.after_fetch == AfterFetch.MOVE:
        processed_id = client.folder_id(mailbox.processed_folder) or ""
        if not processed_id:
            raise MailboxError(Problem.PROCESSED_FOLDER, mailbox.processed_folder)
    _take(client, mailbox, items, processed_id, report, inline)
    if delta_link:
        mailbox_progress(mailbox=mailbox, delta_link=delta_link)
        mailbox.delta_link = delta_link


def _take(
    client: GraphClient,
    mailbox: Mailbox,
    items: list[dict],
    processed_id: str,
    report: PollReport,
    inline: bool,
) -> None:
    for number, item in enumerate(items, start=1):
        if number % settings.MAILBOX_FETCH_BATCH == 0:
            waiting_hand_over(report)
        key = f"graph/{item['id']}"
        known = bool(stored_keys(source=mailbox.source, keys=[key]))
        if known and mailbox.after_fetch == AfterFetch.SEEN and item["isRead"]:
            continue  # ours, already marked: listed again because we marked it
        if known:
            report.duplicates += 1
        else:
            raw = client.raw(item["id"])
            message_take(mailbox=mailbox, raw=raw, key=key, report=report, inline=inline)
            del raw
            mailbox_progress(mailbox=mailbox, taken_in=1)
        if processed_id:
            client.move(item["id"], processed_id)
        else:
            client.mark_read(item["id"])
        report.finished += 1


def graph_check(*, mailbox: Mailbox) -> list[str]:
    """Token, folder and folder for processed mail, without taking anything in."""
    client = graph_client(mailbox)
    client.delta_page(client.delta_start(mailbox.folder))
    found = [
        _("Token received for the app %(client)s.") % {"client": mailbox.client_id},
        _("Folder %(folder)s can be read.") % {"folder": mailbox.folder},
    ]
    if mailbox.after_fetch == AfterFetch.MOVE:
        if client.folder_id(mailbox.processed_folder) is None:
            raise MailboxError(Problem.PROCESSED_FOLDER, mailbox.processed_folder)
        found.append(_("Folder %(folder)s exists.") % {"folder": mailbox.processed_folder})
    return found
