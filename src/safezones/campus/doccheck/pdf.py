"""The text of a PDF: its text layer, or for a scanned PDF, its page images
read by OCR. pypdf is imported on the first PDF (about 13 MB of a web
worker's memory that most workers never need)."""

import io
from typing import TYPE_CHECKING

from safezones.campus.doccheck import errors, ocr
from safezones.campus.doccheck.errors import DocumentError

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_PAGES = 20  # a warrant or subpoena is a few pages; more is not a document shown at the door
MIN_LETTERS = 20


def read_pdf(data: bytes) -> str:
    pages = _pages(data)
    text = "\n".join(pages)
    if sum(char.isalpha() for char in text) >= MIN_LETTERS:
        return text
    return _scanned_text(data)


def _pages(data: bytes) -> list[str]:
    try:
        reader = _reader(data)
        return [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise DocumentError(errors.UNREADABLE_PDF) from error


def _reader(data: bytes) -> "PdfReader":
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocumentError(errors.UNREADABLE_PDF)
    return reader


def _scanned_text(data: bytes) -> str:
    images = _page_images(data)
    if not images:
        raise DocumentError(errors.EMPTY)
    return "\n".join(ocr.read_image(image) for image in images)


def _page_images(data: bytes) -> list[bytes]:
    try:
        reader = _reader(data)
        return [image.data for page in reader.pages[:MAX_PAGES] for image in page.images]
    except DocumentError:
        raise
    except Exception as error:  # as above
        raise DocumentError(errors.UNREADABLE_PDF) from error
