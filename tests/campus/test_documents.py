"""The words and photos of documents agents show name people: they are kept
sealed to the school's administrators and the area, district and legal
offices, and every responder still sees what the check made of them."""

import os
import time
import uuid
from pathlib import Path

import pytest
from django.test import Client

from safezones.accounts.devices import current_code
from safezones.audit.models import AuditEvent
from safezones.campus.actions import record_document, start_incident
from safezones.campus.doccheck import check_text
from safezones.campus.documents import sweep_orphan_photos
from safezones.campus.models import IncidentDocument
from tests.campus.photos import encoded, page
from tests.conftest import PASSWORD, confirmed_totp

WARRANT = (
    "DEPARTMENT OF HOMELAND SECURITY\nWARRANT FOR ARREST OF ALIEN\nForm I-200\n"
    "To any immigration officer: arrest Canary Personname-4411.\nSigned: Supervisory Deportation Officer"
)


def _signed_in(user) -> Client:
    """Through the real sign-in, so the person's key is unlocked for the session."""
    client = Client()
    device = confirmed_totp(user)
    client.post("/accounts/sign-in/", {"email": user.email, "password": PASSWORD})
    client.post("/accounts/verify/", {"code": current_code(device)})
    return client


@pytest.fixture
def signed_in(cast) -> dict[str, Client]:
    """One real sign-in per person (a second-factor code is accepted once);
    signing in also gives each a key pair, so their offices are sealed to them."""
    people = {
        "admin_a": cast.admin_a,
        "area": cast.area_1_office,
        "legal": cast.legal,
        "district": cast.district_office,
    }
    people |= {"staff_a": cast.staff_a, "staff_b": cast.staff_b}
    return {name: _signed_in(person) for name, person in people.items()}


def _document(cast, photo: bytes = b"") -> IncidentDocument:
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    return record_document(
        cast.staff_a, "site_staff", incident, WARRANT, check_text(WARRANT, "en").to_json(), photo=photo
    )


def test_the_words_are_not_stored_in_the_clear(cast, signed_in):
    document = _document(cast)
    stored = IncidentDocument.objects.get(pk=document.pk)
    assert b"Canary" not in bytes(stored.sealed)
    assert "Canary" not in str(stored.result)
    assert stored.kind == "administrative_warrant"
    assert all(set(found) == {"marker"} for found in stored.result["markers"])
    assert set(stored.keys.values_list("office__kind", flat=True)) == {"school", "area", "district", "legal"}


def test_the_legal_office_reads_the_words_and_the_front_office_cannot(cast, signed_in):
    document = _document(cast)
    url = f"/staff/incidents/{document.incident_id}/documents/{document.pk}/"
    page = signed_in["legal"].get(url)
    assert page.status_code == 200
    assert "Canary Personname-4411" in page.content.decode()
    assert AuditEvent.objects.filter(action="incident.document_read").count() == 1
    assert signed_in["staff_a"].get(url).status_code == 403
    assert signed_in["staff_b"].get(url).status_code == 404


def test_a_photo_is_kept_encrypted_and_opens_for_the_site_administrator(cast, settings, signed_in):
    photo = encoded(page(WARRANT), "PNG")
    document = _document(cast, photo=photo)
    on_disk = (Path(settings.MEDIA_ROOT) / "incident-documents" / document.photo).read_bytes()
    assert photo[:8] not in on_disk
    response = signed_in["admin_a"].get(f"/staff/incidents/{document.incident_id}/documents/{document.pk}/photo/")
    assert response.status_code == 200
    assert response.content == photo
    assert response["Content-Type"] == "image/png"


def test_without_the_unlocked_key_the_words_stay_closed(cast, as_user, signed_in):
    document = _document(cast)
    page = as_user(cast.legal).get(f"/staff/incidents/{document.incident_id}/documents/{document.pk}/")
    assert "cannot be opened in this session" in page.content.decode()
    assert "Canary" not in page.content.decode()


def test_a_repeated_document_is_sealed_once(cast, signed_in):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    key = uuid.uuid4()
    result = check_text(WARRANT, "en").to_json()
    first = record_document(cast.staff_a, "site_staff", incident, WARRANT, result, client_key=key)
    again = record_document(cast.staff_a, "site_staff", incident, WARRANT, result, client_key=key)
    assert first.pk == again.pk
    assert IncidentDocument.objects.count() == 1


def test_the_sweep_keeps_a_documents_photo_and_deletes_one_no_document_holds(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = _document(cast, photo=encoded(page(WARRANT), "PNG"))
    folder = tmp_path / "media" / "incident-documents"
    kept, orphan = folder / document.photo, folder / f"{uuid.uuid4().hex}.bin"
    orphan.write_bytes(b"the photo of a document whose transaction rolled back")
    now = time.time()
    for path in (kept, orphan):
        os.utime(path, (now - 7200, now - 7200))
    assert sweep_orphan_photos(now) == 1
    assert sorted(folder.iterdir()) == [kept]
