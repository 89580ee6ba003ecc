"""Files families send with a report: checked by their content, stripped of
metadata, and written to disk only encrypted under the case's key."""

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from safezones.families.models import Attachment, FamilyCase
from safezones.lib import crypto, files

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png", b"%PDF-": "application/pdf"}


class AttachmentError(ValueError):
    """The file cannot be accepted; the message says why, in the user's language."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str


def clean_file(data: bytes) -> CleanFile:
    if len(data) > MAX_BYTES:
        raise AttachmentError(_("A file is larger than 10 MB."))
    kind = next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None:
        raise AttachmentError(_("Only photos (JPEG or PNG) and PDF files can be attached."))
    return CleanFile(_clean_pdf(data) if kind == "application/pdf" else _clean_image(data, kind), kind)


def _clean_image(data: bytes, kind: str) -> bytes:
    """Draw the pixels into a new image: EXIF (camera, time, location) and
    every other metadata block are left behind."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGB") if kind == "image/jpeg" else upright.convert("RGBA")
            clean = Image.new(pixels.mode, pixels.size)
            clean.paste(pixels)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise AttachmentError(_("A photo could not be opened. Take it again and send it as JPEG or PNG.")) from None
    out = io.BytesIO()
    clean.save(out, format="JPEG" if kind == "image/jpeg" else "PNG", quality=90)
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    """Copy the pages only: the document information (author, software,
    dates) and XMP metadata are not copied. pypdf is imported here, on the
    first PDF, as most web workers never receive one."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
    except (PdfReadError, ValueError, KeyError, OSError):
        raise AttachmentError(_("A PDF file could not be read. Send a photo of each page instead.")) from None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def store(case: FamilyCase, data_key: bytes, clean: CleanFile) -> Attachment:
    attachment = Attachment.objects.create(
        case=case,
        stored_name=secrets.token_hex(16),
        content_type=clean.content_type,
        size=len(clean.content),
        added_on=case.received_on,
    )
    path = _path(attachment)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(crypto.encrypt(data_key, clean.content, _context(attachment)))
    path.chmod(0o600)
    return attachment


def read(attachment: Attachment, data_key: bytes) -> bytes:
    return crypto.decrypt(data_key, _path(attachment).read_bytes(), _context(attachment))


def destroy(attachment: Attachment) -> None:
    discard_file(attachment)
    attachment.delete()


def discard_file(attachment: Attachment) -> None:
    """Remove the file only: for a submission whose transaction did not
    commit, so that its row is already gone."""
    _path(attachment).unlink(missing_ok=True)


def sweep_orphans(now: float) -> int:
    """Delete the attachment files no case holds (see lib/files.py)."""

    def names_in_use(names: list[str]) -> list[str]:
        stored = [name.removesuffix(".bin") for name in names]
        return [
            f"{name}.bin"
            for name in Attachment.objects.filter(stored_name__in=stored).values_list("stored_name", flat=True)
        ]

    return files.sweep(Path(settings.MEDIA_ROOT) / "attachments", names_in_use, now)


def _path(attachment: Attachment) -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments" / f"{attachment.stored_name}.bin"


def _context(attachment: Attachment) -> str:
    return f"case:{attachment.case_id}:attachment:{attachment.stored_name}"
