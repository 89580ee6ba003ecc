"""The district office manages the resource directory in the app: add, edit,
mark as verified, remove and import a CSV file; the other offices only read it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safezones.audit.models import AuditEvent
from safezones.families.models import Resource
from tests.families.test_directory import FILE

ENTRY = {
    "kind": "legal_aid",
    "name": "Invented Legal Aid Clinic",
    "description": "Free consultations",
    "phone": "213-555-0101",
    "website": "",
    "address": "1 Example Street",
    "languages": "en, es, ES",
    "cost": "free",
    "hours": "Mon-Fri 9-5",
    "starts_at": "",
    "last_verified": "2026-10-01",
}
FLAG = '<strong class="error">check it</strong>'


def _entry(**changes: object) -> Resource:
    values: dict[str, object] = {
        "kind": "rapid_response",
        "name": "Invented Hotline",
        "languages": ["en", "es"],
        "last_verified": date(2026, 1, 15),
    }
    values.update(changes)
    return Resource.objects.create(**values)


def _actions() -> list[tuple[str, str, str]]:
    return [
        (event.action, event.actor, event.role) for event in AuditEvent.objects.filter(action__startswith="resource")
    ]


def test_the_district_office_adds_an_entry_and_it_is_audited(cast, as_user):
    office = as_user(cast.district_office)
    response = office.post("/staff/resources/new/", {**ENTRY, "areas": [cast.area_1.pk]})
    assert response.status_code == 302
    assert response["Location"] == "/staff/resources/"
    clinic = Resource.objects.get()
    assert clinic.languages == ["en", "es"]
    assert [area.code for area in clinic.areas.all()] == ["A1"]
    assert _actions() == [("resource.add", "dana@district.test", "district_office")]
    page = office.get("/staff/resources/").content.decode()
    assert "Invented Legal Aid Clinic" in page


def test_a_workshop_needs_its_start_read_in_the_districts_time_zone(cast, as_user):
    office = as_user(cast.district_office)
    workshop = {**ENTRY, "kind": "workshop", "name": "Know Your Rights"}
    refused = office.post("/staff/resources/new/", workshop)
    assert refused.status_code == 200
    assert refused.context["form"].errors["starts_at"]
    office.post("/staff/resources/new/", {**workshop, "starts_at": "2099-12-05T18:30"})
    saved = Resource.objects.get()
    assert saved.starts_at == datetime(2099, 12, 6, 2, 30, tzinfo=UTC)  # 18:30 in Los Angeles
    edit = office.get(f"/staff/resources/{saved.pk}/").content.decode()
    assert 'value="2099-12-05T18:30"' in edit


def test_bad_entries_are_refused_with_the_reason(cast, as_user):
    _entry()
    office = as_user(cast.district_office)
    unknown = office.post("/staff/resources/new/", {**ENTRY, "languages": "en, klingon"})
    assert "klingon" in str(unknown.context["form"].errors["languages"])
    twice = office.post("/staff/resources/new/", {**ENTRY, "kind": "rapid_response", "name": "Invented Hotline"})
    assert twice.context["form"].non_field_errors()
    assert Resource.objects.count() == 1
    assert _actions() == []


def test_the_district_office_edits_marks_verified_and_removes(cast, as_user):
    hotline = _entry(last_verified=timezone.localdate() - timedelta(days=400))
    office = as_user(cast.district_office)
    assert FLAG in office.get("/staff/resources/").content.decode()

    changed = {**ENTRY, "kind": "rapid_response", "name": "Invented Hotline", "hours": "24 hours"}
    assert office.post(f"/staff/resources/{hotline.pk}/", changed).status_code == 302
    hotline.refresh_from_db()
    assert hotline.hours == "24 hours"

    assert office.post(f"/staff/resources/{hotline.pk}/verify/").status_code == 302
    hotline.refresh_from_db()
    assert hotline.last_verified == timezone.localdate(timezone=cast.district.zone)
    assert FLAG not in office.get("/staff/resources/").content.decode()

    assert office.post(f"/staff/resources/{hotline.pk}/remove/").status_code == 302
    assert not Resource.objects.exists()
    assert [action for action, _actor, _role in _actions()] == ["resource.change", "resource.verify", "resource.remove"]


@pytest.mark.parametrize("person", ["admin_a", "area_1_office", "staff_a", "legal", "sysadmin"])
def test_nobody_else_changes_an_entry(cast, as_user, person):
    hotline = _entry()
    client = as_user(getattr(cast, person))
    assert client.get(f"/staff/resources/{hotline.pk}/").status_code == 403
    assert client.post(f"/staff/resources/{hotline.pk}/", {**ENTRY}).status_code == 403
    assert client.post(f"/staff/resources/{hotline.pk}/verify/").status_code == 403
    assert client.post(f"/staff/resources/{hotline.pk}/remove/").status_code == 403
    assert client.post("/staff/resources/new/", ENTRY).status_code == 403
    upload = SimpleUploadedFile("r.csv", FILE.encode(), content_type="text/csv")
    assert client.post("/staff/resources/import/", {"file": upload}).status_code == 403
    hotline.refresh_from_db()
    assert hotline.last_verified == date(2026, 1, 15)
    assert Resource.objects.count() == 1
    assert _actions() == []


def test_the_offices_that_answer_families_read_it_without_the_buttons(cast, as_user):
    _entry()
    page = as_user(cast.area_1_office).get("/staff/resources/").content.decode()
    assert "Invented Hotline" in page
    assert "/staff/resources/new/" not in page
    assert "Verified today" not in page


def test_the_csv_upload_imports_and_is_audited(cast, as_user):
    office = as_user(cast.district_office)
    upload = SimpleUploadedFile("resources.csv", FILE.encode(), content_type="text/csv")
    response = office.post("/staff/resources/import/", {"file": upload}, follow=True)
    assert "Imported 3 rows: 3 added, 0 updated." in response.content.decode()
    assert Resource.objects.count() == 3
    assert _actions() == [("resources.import", "dana@district.test", "district_office")]


def test_the_csv_upload_lists_every_bad_row_and_changes_nothing(cast, as_user):
    office = as_user(cast.district_office)
    bad = FILE + "tutoring,Unknown Kind,,,en,,free,,2026-01-01,\nlegal_aid,,,,en,ZZ,pricey,,yesterday,\n"
    upload = SimpleUploadedFile("resources.csv", bad.encode(), content_type="text/csv")
    response = office.post("/staff/resources/import/", {"file": upload})
    assert response.status_code == 400
    lines = [line for line, _reason in response.context["errors"]]
    assert lines == [5, 6]
    page = response.content.decode()
    assert "2 rows have errors; nothing was changed." in page
    assert "Line 5: The kind must be one of" in page
    assert not Resource.objects.exists()
    assert _actions() == []
