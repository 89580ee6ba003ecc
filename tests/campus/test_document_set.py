"""The test set: one text per kind of document and the tricky cases, each
with the kind and concerns it must get (documents/expected.yaml)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from safezones.campus.doccheck import check_text

DOCUMENTS = Path(__file__).parent / "documents"
EXPECTED = yaml.safe_load((DOCUMENTS / "expected.yaml").read_text(encoding="utf-8"))


def expectations() -> list[tuple[str, dict[str, Any]]]:
    defaults = EXPECTED["defaults"]
    return [(name, {**defaults, **expected}) for name, expected in EXPECTED["documents"].items()]


def check(name: str, expected: dict[str, Any], lang: str = "en"):
    text = (DOCUMENTS / name).read_text(encoding="utf-8")
    return check_text(text, lang, school_name=expected["school"], today=expected["today"])


@pytest.mark.parametrize(("name", "expected"), expectations())
def test_each_document_gets_its_kind_and_concerns(name, expected):
    result = check(name, expected)
    assert result.kind == expected["kind"]
    assert sorted(result.concerns) == sorted(expected["concerns"])
    assert result.route_to_legal is True


@pytest.mark.parametrize(("name", "expected"), expectations())
def test_every_marker_quotes_the_document(name, expected):
    text = " ".join((DOCUMENTS / name).read_text(encoding="utf-8").split())
    for found in check(name, expected).markers:
        assert found.text in text, found


def test_every_document_in_the_folder_has_an_expectation():
    assert {path.name for path in DOCUMENTS.glob("*.txt")} == set(EXPECTED["documents"])


def test_the_set_covers_every_kind():
    kinds = {expected["kind"] for expected in EXPECTED["documents"].values()}
    assert kinds == {
        "judicial_warrant",
        "administrative_warrant",
        "judicial_subpoena",
        "administrative_subpoena",
        "court_order",
        "detainer",
        "notice_to_appear",
        "unknown",
    }


def test_the_reasons_are_shown():
    result = check("i200_warrant_for_arrest_of_alien.txt", expectations()[2][1])
    shown = {(found.name, found.text) for found in result.markers}
    assert ("form_number", "Form I-200") in shown
    assert ("document_title", "WARRANT FOR ARREST OF ALIEN") in shown
    assert ("signed_by_officer", "Supervisory Detention and Deportation Officer") in shown
    assert ("issuing_agency", "DEPARTMENT OF HOMELAND SECURITY") in shown
