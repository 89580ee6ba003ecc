"""Destroying what families wrote once it is no longer needed.

The content of a case closed longer ago than the district's retention period
is destroyed: the encrypted text, the messages, every sealed copy of the case
key and the family's copy. What identifies no one stays for the figures: the
school, the kind, the needs, the status and the dates. A receipt kept for
retries is dropped after a day whatever the case's state.
"""

from datetime import date, timedelta

from django.db import transaction

from safezones.audit.actions import record
from safezones.families.attachments import destroy as destroy_attachment
from safezones.families.models import CaseKey, CaseMessage, FamilyCase, Status
from safezones.lib import crypto
from safezones.schools.queries import current_district

RETRY_WINDOW = timedelta(days=1)


def apply_retention(today: date) -> int:
    district = current_district()
    days = district.retention_days if district else 90
    expired = FamilyCase.objects.filter(
        status=Status.CLOSED, updated_on__lte=today - timedelta(days=days), content_destroyed_on__isnull=True
    )
    destroyed = 0
    for case in expired.iterator():
        _destroy_content(case, today)
        destroyed += 1
    FamilyCase.objects.filter(retry_receipt__isnull=False, received_on__lte=today - RETRY_WINDOW).update(
        retry_receipt=None
    )
    return destroyed


def _destroy_content(case: FamilyCase, today: date) -> None:
    with transaction.atomic():
        CaseMessage.objects.filter(case=case).delete()
        for attachment in case.attachments.all():
            destroy_attachment(attachment)
        CaseKey.objects.filter(case=case).delete()
        case.content, case.family_sealed_key, case.retry_receipt = b"", b"", None
        # A random digest in place of the receipt's: the old receipt now finds nothing.
        case.receipt_digest = crypto.new_key()
        case.content_destroyed_on = today
        case.save(
            update_fields=["content", "family_sealed_key", "retry_receipt", "receipt_digest", "content_destroyed_on"]
        )
        record(None, "family_case.content_destroyed", case, role="system", school_code=case.school.code)
