"""Photos and PDFs of documents, read by OCR or from their text layer, get
the same answers as their typed words; what cannot be read is refused."""

from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from safezones.campus.doccheck import DocumentError, Kind, check_text, read_document
from safezones.campus.doccheck import errors as messages

from .photos import encoded, photo, text_pdf

DOCUMENTS = Path(__file__).parent / "documents"
TODAY = date(2026, 11, 15)


def document(name: str) -> str:
    return (DOCUMENTS / name).read_text(encoding="utf-8")


def refusal(data: bytes) -> str:
    with pytest.raises(DocumentError) as refused:
        read_document(data)
    return refused.value.message


@pytest.mark.parametrize(
    ("name", "format_", "kind"),
    [
        ("i200_warrant_for_arrest_of_alien.txt", "JPEG", Kind.ADMINISTRATIVE_WARRANT),
        ("ao93_search_warrant.txt", "PNG", Kind.JUDICIAL_WARRANT),
        ("i247a_detainer.txt", "JPEG", Kind.DETAINER),
        ("spanish_court_search_warrant.txt", "JPEG", Kind.JUDICIAL_WARRANT),
        ("immigration_judge_order.txt", "PNG", Kind.UNKNOWN),
    ],
)
def test_a_photo_gets_the_same_kind_as_the_text(name, format_, kind):
    text = read_document(encoded(photo(document(name)), format_))
    assert check_text(text, "en", today=TODAY).kind == kind


def test_a_phone_sized_photo_is_read(tmp_path):
    text = read_document(encoded(photo(document("i862_notice_to_appear.txt"), long_side=4032), "JPEG"))
    assert check_text(text, "en").kind == Kind.NOTICE_TO_APPEAR


def test_a_pdf_is_read_from_its_text_layer():
    text = read_document(text_pdf(document("grand_jury_subpoena.txt")))
    assert check_text(text, "en").kind == Kind.JUDICIAL_SUBPOENA


def test_a_scanned_pdf_is_read_by_ocr():
    text = read_document(encoded(photo(document("i205_warrant_of_removal.txt")), "PDF"))
    assert check_text(text, "en").kind == Kind.ADMINISTRATIVE_WARRANT


def test_a_blank_photo_is_refused_not_guessed():
    assert refusal(encoded(Image.new("L", (1200, 1600), 255), "PNG")) == messages.NO_TEXT_IN_IMAGE


def test_a_broken_photo_is_refused():
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200) == messages.UNREADABLE_IMAGE
    assert refusal(b"\xff\xd8\xff\xe0 not really a jpeg") == messages.UNREADABLE_IMAGE


def test_a_broken_pdf_is_refused():
    assert refusal(b"%PDF-1.7\nnothing else") == messages.UNREADABLE_PDF


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + bytes(range(256)),
        b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64,
        b"PK\x03\x04" + b"\x00" * 64,
        bytes(range(256)),
    ],
)
def test_other_types_are_refused_by_their_bytes(data):
    assert refusal(data) == messages.WRONG_TYPE


@pytest.mark.parametrize("data", [b"", b"   \n\t ", "\u00a0\u3000".encode(), b"\xef\xbb\xbf"])
def test_empty_text_is_refused(data):
    assert refusal(data) == messages.EMPTY


def test_an_oversized_file_is_refused():
    assert refusal(b"a" * (10 * 1024 * 1024 + 1)) == messages.TOO_LARGE


def test_text_from_an_office_pc_is_read():
    assert "Notificación" in read_document("Notificación de comparecencia".encode("cp1252"))


def test_a_refusal_speaks_spanish(settings):
    with pytest.raises(DocumentError) as refused:
        read_document(b"")
    assert refused.value.in_language("es") != messages.EMPTY
