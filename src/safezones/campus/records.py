"""Records requests: every request for information about a student or family
is logged, and release stays blocked until the law's conditions are recorded
(written parental consent; or legal compulsion confirmed by the legal office
with the parent notified first, unless a court order forbids the notice)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from safezones.accounts.models import User
from safezones.audit.actions import record
from safezones.campus.models import RecordsRequest
from safezones.schools.models import School


class ReleaseBlockedError(Exception):
    """Release was asked for before consent or confirmed compulsion and notice."""


class DecidedError(Exception):
    """The request was already released, refused or withdrawn."""


def log_request(user: User, role: str, school: School, fields: dict[str, Any]) -> RecordsRequest:
    with transaction.atomic():
        request = RecordsRequest.objects.create(school=school, logged_by=user, **fields)
        record(user, "records_request.logged", request, role=role, school_code=school.code)
    return request


def record_condition(user: User, role: str, request: RecordsRequest, condition: str) -> RecordsRequest:
    """One of: consent (written parental consent received), compulsion (the
    legal office confirms the law compels release), notice (the parent was
    notified), order_forbids_notice (a court order forbids telling the parent)."""
    with transaction.atomic():
        locked = _open(request)
        now = timezone.now()
        if condition == "consent":
            locked.consent_at, locked.consent_by = now, user
        elif condition == "compulsion":
            locked.compulsion_at, locked.compulsion_by = now, user
        elif condition == "notice":
            locked.parent_notice_at = now
        elif condition == "order_forbids_notice":
            locked.notice_forbidden_by_order = True
        else:
            raise ValueError(condition)
        locked.save()
        record(user, f"records_request.{condition}", locked, role=role, school_code=locked.school.code)
    return locked


def decide(user: User, role: str, request: RecordsRequest, status: str) -> RecordsRequest:
    """Release (only when allowed), refuse or mark withdrawn."""
    with transaction.atomic():
        locked = _open(request)
        if status == RecordsRequest.Status.RELEASED and not locked.may_release:
            raise ReleaseBlockedError
        if status not in (
            RecordsRequest.Status.RELEASED,
            RecordsRequest.Status.REFUSED,
            RecordsRequest.Status.WITHDRAWN,
        ):
            raise ValueError(status)
        locked.status, locked.decided_at, locked.decided_by = status, timezone.now(), user
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        record(user, f"records_request.{status}", locked, role=role, school_code=locked.school.code)
    return locked


def _open(request: RecordsRequest) -> RecordsRequest:
    locked = RecordsRequest.objects.select_for_update().select_related("school").get(pk=request.pk)
    if locked.status != RecordsRequest.Status.BLOCKED:
        raise DecidedError
    return locked
