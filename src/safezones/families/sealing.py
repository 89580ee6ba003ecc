"""How a case's key is applied to what it protects: the content, the
messages. Each ciphertext is bound to its case and place, so it cannot be
moved to another case or field."""

import json
from typing import Any

from django.utils import timezone

from safezones.families.models import CaseMessage, FamilyCase
from safezones.lib import crypto


def seal_content(data_key: bytes, case: FamilyCase, content: dict[str, Any]) -> bytes:
    return crypto.encrypt(data_key, json.dumps(content).encode(), f"case:{case.id}:content")


def open_content(data_key: bytes, case: FamilyCase) -> dict[str, Any]:
    opened: dict[str, Any] = json.loads(crypto.decrypt(data_key, bytes(case.content), f"case:{case.id}:content"))
    return opened


def open_message(data_key: bytes, case: FamilyCase, message: CaseMessage) -> str:
    return crypto.decrypt(data_key, bytes(message.body), _message_context(case, message)).decode()


def write_message(data_key: bytes, case: FamilyCase, *, author: str, text: str, internal: bool = False) -> CaseMessage:
    """Add an encrypted message and mark the case as changed today. Call it
    inside the transaction that records the event."""
    today = timezone.localdate()
    message = CaseMessage.objects.create(case=case, author=author, internal=internal, sent_on=today, body=b"")
    message.body = crypto.encrypt(data_key, text.encode(), _message_context(case, message))
    message.save(update_fields=["body"])
    case.updated_on = today
    case.save(update_fields=["updated_on"])
    return message


def _message_context(case: FamilyCase, message: CaseMessage) -> str:
    return f"case:{case.id}:message:{message.pk}"
