"""Closed cases lose what the family wrote after the retention period; the
figures and the audit chain stay."""

import json
from collections.abc import Mapping
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safezones.audit.queries import verify_chain
from safezones.families.actions import add_family_message
from safezones.families.models import CaseKey, CaseMessage, FamilyCase
from safezones.families.retention import apply_retention
from tests.test_privacy import _every_value_in_the_database

REPORT = {"school": "SA", "language": "es", "kind": "other", "description": "canary-retention-8812"}


def _file(body: Mapping[str, object]) -> str:
    response = Client().post("/api/v1/family/reports", json.dumps(body), content_type="application/json")
    return str(response.json()["receipt"])


def _lookup(receipt: str) -> int:
    body = json.dumps({"receipt": receipt})
    return Client().post("/api/v1/family/cases/lookup", body, content_type="application/json").status_code


def test_closed_cases_lose_their_content_after_the_period(cast):
    receipt = _file(REPORT)
    case = FamilyCase.objects.get()
    assert add_family_message(receipt, "one more detail")
    FamilyCase.objects.filter(pk=case.pk).update(status="closed")
    today = timezone.localdate()
    assert apply_retention(today + timedelta(days=89)) == 0
    assert _lookup(receipt) == 200
    assert apply_retention(today + timedelta(days=90)) == 1
    case.refresh_from_db()
    assert case.content_destroyed_on == today + timedelta(days=90)
    assert (bytes(case.content), bytes(case.family_sealed_key)) == (b"", b"")
    assert not CaseKey.objects.filter(case=case).exists()
    assert not CaseMessage.objects.filter(case=case).exists()
    # The figures stay: school, kind and status are still counted.
    assert FamilyCase.objects.filter(school=cast.school_a, kind="report", status="closed").count() == 1
    assert _lookup(receipt) == 404
    assert verify_chain()[1] is None


def test_open_cases_are_kept_however_old(cast):
    _file(REPORT)
    assert apply_retention(timezone.localdate() + timedelta(days=3650)) == 0


def test_the_districts_own_period_applies(cast):
    cast.district.retention_days = 30
    cast.district.save()
    _file(REPORT)
    FamilyCase.objects.update(status="closed")
    assert apply_retention(timezone.localdate() + timedelta(days=30)) == 1


def test_retry_receipts_are_dropped_after_a_day(cast):
    _file({**REPORT, "idempotency_key": "retention-retry-token-123"})
    assert FamilyCase.objects.get().retry_receipt is not None
    apply_retention(timezone.localdate() + timedelta(days=1))
    assert FamilyCase.objects.get().retry_receipt is None


def test_the_periodic_command_runs_retention_and_the_outbox(cast, capsys):
    call_command("run_periodic")
    out = capsys.readouterr().out
    assert "had their content destroyed" in out
    assert "queued for delivery" in out


def test_the_canary_is_gone_from_every_table(cast):
    _file(REPORT)
    FamilyCase.objects.update(status="closed")
    apply_retention(timezone.localdate() + timedelta(days=90))
    assert "canary-retention-8812" not in _every_value_in_the_database()


def test_attachments_are_destroyed_with_the_content(cast):
    from pathlib import Path

    from django.conf import settings

    from safezones.families.attachments import CleanFile
    from safezones.families.attachments import store as store_attachment
    from safezones.families.models import Attachment
    from safezones.lib import crypto

    _file(REPORT)
    case = FamilyCase.objects.get()
    attachment = store_attachment(case, crypto.new_key(), CleanFile(b"%PDF-1.7 test", "application/pdf"))
    path = Path(settings.MEDIA_ROOT) / "attachments" / f"{attachment.stored_name}.bin"
    assert path.exists()
    FamilyCase.objects.update(status="closed")
    apply_retention(timezone.localdate() + timedelta(days=90))
    assert not path.exists()
    assert not Attachment.objects.exists()
