"""Retention with a test clock, end to end (tests/families/test_retention.py
covers each rule on its own): a report sent through the family page with
three files, answered by the area office and by the family, closed from the
staff page; the clock moves past the district's period and `safezones
apply-retention` runs. The family's words, the messages, the keys and the
files are gone, from the tables and from the raw database bytes; the figures
the district and the public school page show are unchanged; `safezones
verify-audit` still passes."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from safezones import cli
from safezones.families.models import Attachment, CaseKey, CaseMessage, FamilyCase
from safezones.readiness import sources
from safezones.schools.models import School
from tests.proof.test_leaks_intake import (
    canary,
    database_bytes,
    files_under,
    jpeg_with_exif,
    pdf_with_metadata,
    png_with_text,
    post_json,
    receipt_on,
    signed_in,
    visitor,
)


def _figures(today: date) -> dict[str, Any]:
    """What identifies no one: the counts by school, kind, need and status, and
    the counts the readiness pages and the public school page show."""
    by_kind = FamilyCase.objects.values_list("school__code", "kind", "report_kind", "status", "language", "received_on")
    schools = School.objects.all()
    return {
        "cases": sorted(by_kind.annotate(n=Count("pk"))),
        "needs": sorted((tuple(needs), 1) for needs in FamilyCase.objects.values_list("needs", flat=True)),
        "open and overdue": sources.family_case_counts(schools, today),
        "reports this year": [sources.reports_this_year(school.pk, today - timedelta(days=365)) for school in schools],
    }


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    cli.main(["safezones", *args])
    return capsys.readouterr().out


def _file_a_report(description: str, files: list[SimpleUploadedFile]) -> str:
    family = visitor()
    form = family.get("/help/report/")
    page = family.post(
        "/help/report/",
        {
            "school": "SA",
            "language": "es",
            "kind": "status_asked",
            "description": description,
            "retry_token": str(form.context["form"]["retry_token"].value()),
            "attachments": files,
        },
    )
    return receipt_on(page)


@pytest.mark.django_db(transaction=True)
def test_after_the_period_the_content_and_files_are_gone_and_the_figures_and_audit_chain_stay(
    cast, settings, tmp_path, monkeypatch, capsys
):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachments = Path(settings.MEDIA_ROOT) / "attachments"
    period = cast.district.retention_days
    words = canary("retention-description")
    receipt = _file_a_report(
        words,
        [
            SimpleUploadedFile("a.jpg", jpeg_with_exif(canary("retention-exif")), "image/jpeg"),
            SimpleUploadedFile("b.png", png_with_text(canary("retention-png")), "image/png"),
            SimpleUploadedFile(
                "c.pdf", pdf_with_metadata(canary("retention-pdf"), canary("retention-xmp")), "application/pdf"
            ),
        ],
    )
    expired = FamilyCase.objects.get()
    kept_words = canary("retention-kept")
    kept_receipt = _file_a_report(kept_words, [])
    kept = FamilyCase.objects.exclude(pk=expired.pk).get()
    assert len(files_under(attachments)) == 3

    office = signed_in(cast.area_1_office)
    assert office.post(f"/staff/cases/{expired.pk}/message/", {"text": canary("retention-reply")}).status_code == 302
    follow_up = visitor().post("/help/follow-up/message/", {"receipt": receipt, "text": canary("retention-answer")})
    assert follow_up.status_code == 200
    for case in (expired, kept):
        body = {"status": "closed", "closed_reason": "done"}
        assert office.post(f"/staff/cases/{case.pk}/status/", body).status_code == 302
    expired.refresh_from_db()
    assert expired.status == "closed"
    sealed = [bytes(expired.content), *(bytes(m.body) for m in CaseMessage.objects.filter(case=expired))]
    assert len(sealed) == 3

    today = timezone.localdate()
    figures = _figures(today)
    assert "0 case(s)" in _run(capsys, "apply-retention"), "nothing is due today"

    # The clock moves on: the expired case was closed a period and a day ago;
    # the other one is made to look closed yesterday.
    later = today + timedelta(days=period + 1)
    FamilyCase.objects.filter(pk=kept.pk).update(updated_on=later - timedelta(days=1))
    clock = datetime.combine(later, datetime.min.time().replace(hour=12), tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr(timezone, "now", lambda: clock)
    assert timezone.localdate() == later
    assert "1 case(s) had their content destroyed" in _run(capsys, "apply-retention")

    expired.refresh_from_db()
    assert (bytes(expired.content), bytes(expired.family_sealed_key)) == (b"", b"")
    assert expired.content_destroyed_on == later
    assert not CaseKey.objects.filter(case=expired).exists()
    assert not CaseMessage.objects.filter(case=expired).exists()
    assert not Attachment.objects.filter(case=expired).exists()
    assert files_under(attachments) == {}, "the files are deleted"
    raw = database_bytes()
    assert not [blob for blob in sealed if blob in raw or blob.hex().encode() in raw], "ciphertext left in the file"

    lookup = post_json(visitor(), "/api/v1/family/cases/lookup", {"receipt": receipt})
    assert lookup.status_code == 404
    assert "No case matches" in visitor().post("/help/follow-up/", {"receipt": receipt}).content.decode()
    # The case closed less than a period ago keeps its words for its family.
    still = post_json(visitor(), "/api/v1/family/cases/lookup", {"receipt": kept_receipt})
    assert still.status_code == 200
    assert kept_words in json.dumps(still.json())

    figures_after = _figures(today)
    assert figures_after == figures, "the figures are unchanged"
    assert _run(capsys, "verify-audit").startswith("Audit log intact:")
