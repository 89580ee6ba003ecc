"""Files with a report: checked by content, stripped of metadata, stored only
encrypted, readable by the offices the report goes to."""

import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from PIL import Image
from pypdf import PdfReader, PdfWriter

from safezones.families.attachments import AttachmentError, clean_file, sweep_orphans
from safezones.families.models import Attachment, FamilyCase
from tests.families.test_case_pages import _signed_in

CANARY_GPS = "CanaryCamera-9917"


def _jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (64, 48), "navy")
    exif = Image.Exif()
    exif[0x010F] = CANARY_GPS  # camera maker
    exif[0x0132] = "2026:11:02 10:12:00"  # time taken
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _pdf_with_metadata() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Canary Author 5521", "/Producer": CANARY_GPS})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_photo_metadata_is_removed():
    original = _jpeg_with_metadata()
    assert CANARY_GPS.encode() in original
    clean = clean_file(original)
    assert clean.content_type == "image/jpeg"
    assert CANARY_GPS.encode() not in clean.content
    assert not Image.open(io.BytesIO(clean.content)).getexif()


def test_pdf_metadata_is_removed():
    clean = clean_file(_pdf_with_metadata())
    assert clean.content_type == "application/pdf"
    assert b"Canary Author 5521" not in clean.content
    assert len(PdfReader(io.BytesIO(clean.content)).pages) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a....", "Only photos"),
        (b"<html>not a photo</html>", "Only photos"),
        (b"\xff\xd8\xff" + b"broken", "could not be opened"),
        (b"%PDF-1.7 broken", "could not be read"),
        (b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_other_files_are_refused_by_content_not_by_name(data, message):
    with pytest.raises(AttachmentError, match=message):
        clean_file(data)


def _report_with(files: list[SimpleUploadedFile], family: Client | None = None):
    family = family or Client()
    form = family.get("/help/report/")
    body = {
        "school": "SA",
        "language": "en",
        "kind": "agents_allowed_in",
        "description": "They went into the classrooms",
        "retry_token": str(form.context["form"]["retry_token"].value()),
        "attachments": files,
    }
    return family.post("/help/report/", body)


def test_a_report_with_a_photo_is_stored_encrypted_and_read_by_the_area_office(cast):
    photo = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_metadata(), "image/jpeg")
    page = _report_with([photo])
    assert page.status_code == 200
    assert "We received it" in page.content.decode()
    attachment = Attachment.objects.get()
    stored = (Path(settings.MEDIA_ROOT) / "attachments" / f"{attachment.stored_name}.bin").read_bytes()
    assert b"JFIF" not in stored
    assert CANARY_GPS.encode() not in stored
    case = FamilyCase.objects.get()
    office = _signed_in(cast.area_1_office)
    download = office.get(f"/staff/cases/{case.pk}/attachments/{attachment.stored_name}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(download.content)).size == (64, 48)
    school = _signed_in(cast.admin_a)
    assert school.get(f"/staff/cases/{case.pk}/attachments/{attachment.stored_name}/").status_code == 404


def test_a_bad_file_is_refused_with_a_reason_and_nothing_is_filed(cast):
    page = _report_with([SimpleUploadedFile("notes.docx", b"PK\x03\x04 word", "application/msword")])
    assert "Only photos (JPEG or PNG) and PDF files can be attached." in page.content.decode()
    assert not FamilyCase.objects.exists()
    assert not Attachment.objects.exists()


def test_uploads_never_touch_the_disk_in_the_clear():
    assert settings.FILE_UPLOAD_HANDLERS == ["django.core.files.uploadhandler.MemoryFileUploadHandler"]


def _files_on_disk() -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "attachments").glob("*.bin"))


def test_a_report_that_does_not_commit_leaves_no_file(cast, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection")

    # The audit event is the last write before the commit, after the files.
    monkeypatch.setattr("safezones.families.actions.record", database_gone)
    photo = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_metadata(), "image/jpeg")
    assert _report_with([photo], Client(raise_request_exception=False)).status_code == 503
    assert not FamilyCase.objects.exists()
    assert _files_on_disk() == []


def test_the_sweep_deletes_old_files_no_case_holds(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_metadata(), "image/jpeg")
    assert _report_with([photo]).status_code == 200
    (kept,) = _files_on_disk()
    folder = kept.parent
    orphan, fresh = folder / f"{'a' * 32}.bin", folder / f"{'b' * 32}.bin"
    orphan.write_bytes(b"sealed bytes of a case that never committed")
    fresh.write_bytes(b"a submission still in its transaction")
    now = time.time()
    two_hours_ago = now - 2 * 3600
    for path in (kept, orphan):
        os.utime(path, (two_hours_ago, two_hours_ago))
    assert sweep_orphans(now) == 1
    assert _files_on_disk() == sorted([kept, fresh])
    # An hour later the file still in its transaction is an orphan too.
    assert sweep_orphans(now + 3601) == 1
    assert _files_on_disk() == [kept]
    office = _signed_in(cast.area_1_office)
    attachment = Attachment.objects.get()
    case = FamilyCase.objects.get()
    assert office.get(f"/staff/cases/{case.pk}/attachments/{attachment.stored_name}/").status_code == 200


def test_the_periodic_job_sweeps_attachments_and_document_photos(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = time.time() - 7200
    left = []
    for folder in ("attachments", "incident-documents"):
        (tmp_path / "media" / folder).mkdir(parents=True)
        orphan = tmp_path / "media" / folder / f"{'c' * 32}.bin"
        orphan.write_bytes(b"left behind")
        os.utime(orphan, (old, old))
        left.append(orphan)
    out = io.StringIO()
    call_command("run_periodic", stdout=out)
    assert "1 attachment file(s) and 1 document photo(s) no record holds were deleted." in out.getvalue()
    assert not any(path.exists() for path in left)
