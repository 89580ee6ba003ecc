"""From a file's bytes to the text to check. The type is told by the bytes,
never by the name, and anything the check cannot read is refused with a
message rather than guessed at."""

import re

from safezones.campus.doccheck import errors, ocr, pdf
from safezones.campus.doccheck.errors import MAX_BYTES, DocumentError

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
# Other formats a phone or office may send: refused by name, not read as text.
OTHER_FORMATS = (b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*", b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf")
# Control characters other than tab, line feed, form feed and carriage return
# mean binary data, whatever the encoding would make of it.
BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_TEXT_CHARS = 200_000


def read_document(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise DocumentError(errors.TOO_LARGE)
    if data.startswith(PDF):
        return require_text(pdf.read_pdf(data))
    if data.startswith((PNG, JPEG)):
        return require_text(ocr.read_image(data))
    if data.startswith(OTHER_FORMATS) or data[4:8] == b"ftyp":  # ftyp: HEIC photos, videos
        raise DocumentError(errors.WRONG_TYPE)
    return require_text(_plain_text(data))


def require_text(text: str) -> str:
    if not any(char.isalnum() for char in text):
        raise DocumentError(errors.EMPTY)
    return text[:MAX_TEXT_CHARS]


def _plain_text(data: bytes) -> str:
    text = _decoded(data.removeprefix(b"\xef\xbb\xbf"))
    if text is None or BINARY.search(text):
        raise DocumentError(errors.WRONG_TYPE)
    return text


def _decoded(data: bytes) -> str | None:
    """UTF-8, or the Windows encoding a text typed on an office PC may use."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
