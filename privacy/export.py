"""A person's data as a ZIP for an access request (AVG art. 15).

``gegevens.json`` holds the records (contacts, numbers, cases with their notes,
calls, callbacks, the phone system's record of their calls, mail in and out);
``originals/`` the received mails exactly as they arrived (``.eml``); ``bijlagen/``
their attachments. Only this person's part of a case shared with others: other
people's mail is left out.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

from cases.models import MailAttachment, Note
from privacy.selectors import PersonRecords

#: Up to this size the ZIP is built in memory, beyond it in a temporary file.
IN_MEMORY_BYTES = 16 * 1024 * 1024


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("._")[:100] or "bijlage"


def _rows(queryset, fields: list[str]) -> list[dict[str, Any]]:
    return list(queryset.values(*fields))


def person_records_json(records: PersonRecords) -> dict[str, Any]:
    """The records as plain data (what ``gegevens.json`` holds)."""
    own_cases = records.cases.filter(contact__in=records.contacts)
    return {
        "contacts": _rows(records.contacts, ["id", "name", "email", "job_title", "created_at"]),
        "phone_numbers": _rows(records.phone_numbers, ["number", "label", "contact_id"]),
        "cases": _rows(
            records.cases,
            [
                "id",
                "reference",
                "subject",
                "description",
                "channel",
                "status",
                "created_at",
                "resolved_at",
            ],
        ),
        "notes": _rows(
            Note.objects.filter(case__in=own_cases).order_by("created_at", "pk"),
            ["case__reference", "body", "created_at"],
        ),
        "calls": _rows(
            records.calls,
            [
                "case__reference",
                "direction",
                "number",
                "started_at",
                "duration",
                "notes",
                "outcome",
            ],
        ),
        "callbacks": _rows(
            records.callbacks,
            ["case__reference", "number", "slot_start", "state", "outcome_notes"],
        ),
        "inbound_mail": _rows(
            records.inbound_mail,
            [
                "id",
                "case__reference",
                "received_at",
                "from_address",
                "from_name",
                "to",
                "cc",
                "subject",
                "text_body",
            ],
        ),
        "phone_system_calls": _rows(
            records.phone_system_calls,
            [
                "direction",
                "from_raw",
                "to_raw",
                "number",
                "started_at",
                "answered_at",
                "ended_at",
                "cause",
                "missed",
                "phone_call__case__reference",
            ],
        ),
        "outbound_mail": _rows(
            records.outbound_mail,
            ["case__reference", "created_at", "to", "subject", "body_text", "status"],
        ),
    }


def person_zip(records: PersonRecords) -> IO[bytes]:
    """The ZIP, rewound, in a file object; mails are read one at a time."""
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - caller closes
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = json.dumps(
            person_records_json(records), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        archive.writestr("gegevens.json", data)
        for pk in records.inbound_mail.values_list("pk", flat=True):
            raw = records.inbound_mail.model.objects.filter(pk=pk).values_list("raw", flat=True)
            archive.writestr(f"originals/{pk}.eml", bytes(raw.get()))
        attachments = MailAttachment.objects.filter(message__in=records.inbound_mail)
        for pk in attachments.values_list("pk", flat=True):
            attachment = MailAttachment.objects.only("message_id", "filename", "content").get(pk=pk)
            name = f"bijlagen/{attachment.message_id}/{pk}-{_safe_name(attachment.filename)}"
            archive.writestr(name, bytes(attachment.content))
    out.seek(0)
    return out
