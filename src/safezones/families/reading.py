"""Opening a case for a staff member: their key opens their office's key,
which opens the case's key. Nothing here is stored in the clear."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from safezones.accounts.models import User
from safezones.accounts.offices import open_office_key
from safezones.audit.actions import record
from safezones.families.attachments import read as read_attachment
from safezones.families.models import Attachment, CaseKey, CaseMessage, FamilyCase
from safezones.families.sealing import open_content, open_message, write_message
from safezones.lib import crypto
from safezones.schools import access


class LockedError(Exception):
    """The staff member's key is not unlocked in this session (sign in again)."""


@dataclass(frozen=True)
class OpenCase:
    case: FamilyCase
    content: dict[str, Any]
    messages: list[tuple[CaseMessage, str]]


def case_key(user: User, private_key: bytes | None, case: FamilyCase) -> bytes:
    if private_key is None:
        raise LockedError
    for key in CaseKey.objects.filter(case=case).select_related("office", "office__school", "office__area"):
        if not access.may_open_case(key.office, case):
            continue
        office_private = open_office_key(user, private_key, key.office)
        if office_private is not None:
            return crypto.unseal(office_private, bytes(key.sealed_key))
    raise LockedError


def open_case(user: User, role: str, private_key: bytes | None, case: FamilyCase) -> OpenCase:
    data_key = case_key(user, private_key, case)
    content = open_content(data_key, case)
    messages = [(message, open_message(data_key, case, message)) for message in case.messages.all()]
    record(user, "family_case.read", case, role=role, school_code=case.school.code)
    return OpenCase(case, content, messages)


def open_attachment(
    user: User, role: str, private_key: bytes | None, case: FamilyCase, attachment: Attachment
) -> bytes:
    content = read_attachment(attachment, case_key(user, private_key, case))
    record(user, "family_case.attachment_read", case, role=role, school_code=case.school.code)
    return content


def add_message(
    user: User, role: str, private_key: bytes | None, case: FamilyCase, *, text: str, internal: bool
) -> None:
    """A reply the family reads with its receipt, or an internal note it never sees."""
    data_key = case_key(user, private_key, case)
    with transaction.atomic():
        write_message(data_key, case, author="staff", text=text, internal=internal)
        record(
            user, "family_case.note" if internal else "family_case.reply", case, role=role, school_code=case.school.code
        )


def set_status(user: User, role: str, case: FamilyCase, status: str, closed_reason: str = "") -> None:
    with transaction.atomic():
        case.status, case.closed_reason, case.updated_on = status, closed_reason, timezone.localdate()
        case.save(update_fields=["status", "closed_reason", "updated_on"])
        record(user, f"family_case.status.{status}", case, role=role, school_code=case.school.code)


def assign(user: User, role: str, case: FamilyCase, assignee: User | None) -> None:
    with transaction.atomic():
        case.assigned_to = assignee
        case.save(update_fields=["assigned_to"])
        record(user, "family_case.assign", case, role=role, school_code=case.school.code)
