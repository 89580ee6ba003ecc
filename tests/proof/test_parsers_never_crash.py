"""Every importer and parser, fed arbitrary input: it never raises anything
but its own documented error, and every error it reports says something.

School CSV (schools.roster), protocol YAML (campus.protocol), document text
and files (campus.doccheck), training CSV (readiness.training), contract CSV
and XLSX, award files, GLEIF files and curated evidence (vendors).
"""

import io
from datetime import date
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image

from safezones.campus.doccheck import DocumentError, check_text, read_document
from safezones.campus.protocol import ProtocolError, default_source, parse_protocol
from safezones.readiness.training import parse_training
from safezones.schools.roster import parse_roster
from safezones.vendors.contracts import FIELDS, ContractFileError, guess_mapping, parse_contracts, read_table
from safezones.vendors.screening.awards import COLUMNS as AWARD_COLUMNS
from safezones.vendors.screening.awards import AwardFileError, read_awards
from safezones.vendors.screening.gleif import GleifFileError, read_entity_names, read_relationships
from safezones.vendors.screening.tables import TableError, evidence_problems, read_evidence, read_vendor_table

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TODAY = date(2026, 11, 20)

# Cells made of the characters that trouble CSV readers, and of ordinary words.
TRICKY = st.sampled_from(["", ",", ";", "\t", "|", '"', "'", "\n", "\r", "\r\n", "\x00", "\ufeff", "é", "\u202e"])
CELL = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(TRICKY, st.text(alphabet="aZ09-_. /:$", max_size=6)), max_size=5).map("".join),
    st.sampled_from(["2024-05-01", "5/1/2024", "31/12/24 00:00", "2026-13-40", "1e400", "NaN", "-0", "12,345.67"]),
)


def csv_file(columns: list[str]) -> st.SearchStrategy[bytes]:
    """A CSV-like file whose header mixes the reader's own column names with
    others, and whose rows are cells of any kind, joined with any separator."""
    header = st.lists(st.one_of(st.sampled_from(columns), CELL), max_size=len(columns) + 2)
    rows = st.lists(st.lists(CELL, max_size=len(columns) + 2), max_size=6)
    separator = st.sampled_from([",", ";", "\t", '","'])
    ending = st.sampled_from(["\n", "\r\n", "\r", ""])
    encoding = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])

    def build(head: list[str], body: list[list[str]], sep: str, end: str, enc: str) -> bytes:
        text = end.join(sep.join(cells) for cells in [head, *body])
        return text.encode(enc, errors="replace")

    return st.builds(build, header, rows, separator, ending, encoding)


ANY_BYTES = st.one_of(st.binary(max_size=400), st.text(max_size=200).map(lambda text: text.encode("utf-8")))


def said_something(errors: list[tuple[int, str]]) -> None:
    for line, message in errors:
        assert line >= 0
        assert message.strip(), f"an empty error message on line {line}"


def refused_clearly(error: Exception) -> None:
    assert str(error).strip(), f"{type(error).__name__} with no message"


def problems_named(error: ProtocolError) -> None:
    assert error.problems
    assert all(problem.strip() for problem in error.problems)


def explained(error: DocumentError) -> None:
    assert error.in_language("en").strip()
    assert error.in_language("es").strip()


# --- Schools ------------------------------------------------------------------


@FUZZ
@given(st.one_of(ANY_BYTES, csv_file(["code", "name", "area", "address", "languages"])))
def test_the_school_import_reports_and_never_crashes(data: bytes) -> None:
    parsed = parse_roster(data)
    said_something(parsed.errors)


# --- Protocol -----------------------------------------------------------------


def _protocol_keys() -> list[str]:
    """Every key of the default protocol, so generated documents use them."""
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                keys.add(str(key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(default_source()))
    return sorted(keys)


SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
YAML_VALUE = st.recursive(
    SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(_protocol_keys())), children, max_size=4),
    ),
    max_leaves=20,
)


@st.composite
def altered_protocol(draw: st.DrawFn) -> str:
    """The district's default protocol with one part replaced by anything."""
    document = yaml.safe_load(default_source())
    node: Any = document
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            if draw(st.booleans()) or not isinstance(node[key], dict | list):
                node[key] = draw(YAML_VALUE)
                break
            node = node[key]
        elif isinstance(node, list) and node:
            index = draw(st.integers(min_value=0, max_value=len(node) - 1))
            if draw(st.booleans()) or not isinstance(node[index], dict | list):
                node[index] = draw(YAML_VALUE)
                break
            node = node[index]
    return yaml.safe_dump(document, allow_unicode=True)


@FUZZ
@given(st.one_of(st.text(max_size=300), YAML_VALUE.map(yaml.safe_dump), altered_protocol()))
def test_the_protocol_reader_names_every_problem_and_never_crashes(source: str) -> None:
    try:
        protocol = parse_protocol(source)
    except ProtocolError as error:
        problems_named(error)
    else:
        assert isinstance(protocol, dict)


# --- Document check -----------------------------------------------------------

WORDS = st.sampled_from(
    [
        "WARRANT",
        "Form I-200",
        "I-205",
        "I-247A",
        "United States District Court",
        "Superior Court",
        "Immigration Judge",
        "signed",
        "/s/",
        "Magistrate Judge",
        "Department of Homeland Security",
        "SUBPOENA",
        "Notice to Appear",
        "Dated: 01/02/2026",
        "within 14 days",
        "\n",
        " ",
        "ORDEN DE ARRESTO",
    ]
)


@FUZZ
@given(st.one_of(st.text(max_size=400), st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=40).map(" ".join)))
def test_the_document_check_answers_any_text(text: str) -> None:
    for lang in ("en", "es"):
        result = check_text(text, lang, "School A", TODAY)
        answer = result.to_json()
        assert answer["label"]
        assert answer["explanation"]


FILE_STARTS = st.sampled_from(
    [b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b"\xef\xbb\xbf"]
)


def _picture(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("L", (40, 16), color=255).save(out, format=kind)
    return out.getvalue()


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """A real file with a few of its bytes changed, dropped or added."""
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        change = draw(st.sampled_from(["replace", "drop", "insert"]))
        if change == "replace":
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif change == "drop":
            del data[at]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


DOCUMENT_FILES = st.one_of(
    st.builds(bytes.__add__, FILE_STARTS, ANY_BYTES),
    damaged(_picture("PNG")),
    damaged(_picture("JPEG")),
    damaged(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"),
)


@settings(FUZZ, max_examples=80)
@given(DOCUMENT_FILES)
def test_a_document_file_is_read_or_refused_with_a_message(data: bytes) -> None:
    try:
        text = read_document(data)
    except DocumentError as error:
        explained(error)
    else:
        assert any(char.isalnum() for char in text)


# --- Training records ---------------------------------------------------------


@FUZZ
@given(st.one_of(ANY_BYTES, csv_file(["employee_id", "school", "course", "completion_date", "role"])))
def test_the_training_import_reports_and_never_crashes(data: bytes) -> None:
    parsed = parse_training(data, {"SA", "SB"}, TODAY)
    said_something(parsed.errors)


# --- Contracts ----------------------------------------------------------------

CONTRACT_COLUMNS = ["contract_number", "vendor_name", "vendors", "title", "amount", "start_date", "end_date"]


@st.composite
def workbook(draw: st.DrawFn) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    cell = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.dates(), CELL)
    for row in draw(st.lists(st.lists(st.one_of(st.sampled_from(CONTRACT_COLUMNS), cell), max_size=6), max_size=5)):
        sheet.append([_printable(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if draw(st.booleans()):  # a damaged file
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data = data[:at] + draw(st.binary(max_size=20)) + data[at + 1 :]
    return data


def _printable(value: object) -> object:
    """openpyxl refuses control characters in cells; a real export has none."""
    if isinstance(value, str):
        return "".join(char for char in value if char.isprintable())
    return value


def _read_and_parse(data: bytes, filename: str, mapping: dict[str, str] | None) -> None:
    try:
        header, rows = read_table(data, filename)
    except ContractFileError as error:
        refused_clearly(error)
        return
    parsed = parse_contracts(header, rows, guess_mapping(header) if mapping is None else mapping)
    said_something(parsed.errors)


MAPPING = st.one_of(
    st.none(), st.dictionaries(st.sampled_from(sorted(FIELDS)), st.sampled_from([*CONTRACT_COLUMNS, "x"]), max_size=5)
)


@FUZZ
@given(st.one_of(ANY_BYTES, csv_file(CONTRACT_COLUMNS)), MAPPING)
def test_a_contract_csv_is_read_or_refused_with_a_message(data: bytes, mapping: dict[str, str] | None) -> None:
    _read_and_parse(data, "contracts.csv", mapping)


@settings(FUZZ, max_examples=60)
@given(st.one_of(workbook(), ANY_BYTES, FILE_STARTS.map(lambda start: start + b"\x00" * 30)), MAPPING)
def test_a_contract_workbook_is_read_or_refused_with_a_message(data: bytes, mapping: dict[str, str] | None) -> None:
    _read_and_parse(data, "contracts.xlsx", mapping)


# --- Award, GLEIF, vendor and evidence files ----------------------------------


def _lines(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline="")


@FUZZ
@given(st.one_of(ANY_BYTES, csv_file([*AWARD_COLUMNS, "awarding_sub_agency_code"])), st.booleans())
def test_an_award_file_is_read_or_refused_with_a_message(data: bytes, every_agency: bool) -> None:
    try:
        rows = list(read_awards(_lines(data), None if every_agency else frozenset({"7012"})))
    except AwardFileError as error:
        refused_clearly(error)
    else:
        assert all(row.key is not None for row in rows)


GLEIF_COLUMNS = [
    "Relationship.StartNode.NodeID",
    "Relationship.EndNode.NodeID",
    "Relationship.RelationshipType",
    "Relationship.RelationshipStatus",
    "Relationship.Period.1.periodType",
    "LEI",
    "Entity.LegalName",
]


@FUZZ
@given(st.one_of(ANY_BYTES, csv_file(GLEIF_COLUMNS)))
def test_a_gleif_file_is_read_or_refused_with_a_message(data: bytes) -> None:
    for read in (read_relationships, read_entity_names):
        try:
            list(read(_lines(data)))
        except GleifFileError as error:
            refused_clearly(error)


@FUZZ
@given(st.one_of(ANY_BYTES, csv_file(["name", "vendor", "aliases", "parent", "uei", "duns", "student_data"])))
def test_a_vendor_table_is_read_or_refused_with_a_message(data: bytes) -> None:
    try:
        list(read_vendor_table(_lines(data)))
    except TableError as error:
        refused_clearly(error)


EVIDENCE_COLUMNS = ["entity", "relationship", "what", "source_url", "date", "parent", "severity"]


@FUZZ
@given(
    st.one_of(
        st.text(max_size=300),
        YAML_VALUE.map(yaml.safe_dump),
        csv_file(EVIDENCE_COLUMNS).map(lambda data: data.decode("utf-8", errors="replace")),
    ),
    st.booleans(),
)
def test_an_evidence_file_is_read_or_refused_with_a_message(text: str, yaml_file: bool) -> None:
    try:
        rows = read_evidence(text, yaml_file=yaml_file)
    except TableError as error:
        refused_clearly(error)
        return
    for _line, row in rows:
        assert all(problem.strip() for problem in evidence_problems(row))
