"""GLEIF golden-copy files, read one row at a time.

- The level-2 relationship records (RR-CDF as CSV): who consolidates whom,
  by LEI. `Relationship.StartNode.NodeID` is the child,
  `Relationship.EndNode.NodeID` the parent ("the child IS_DIRECTLY_CONSOLIDATED_BY
  the parent"). Only active consolidation and branch relationships between
  two LEIs are kept.
- The level-1 LEI records (LEI-CDF as CSV): the legal name of each LEI. Award
  data carries no LEI, so a GLEIF company meets a federal recipient by name.

Both are published as zipped CSV; a zip holding one CSV is read as that CSV.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

RELATIONSHIPS, ENTITIES = "relationships", "entities"
START, END = "relationship.startnode.nodeid", "relationship.endnode.nodeid"
START_TYPE, END_TYPE = "relationship.startnode.nodeidtype", "relationship.endnode.nodeidtype"
KIND, STATUS = "relationship.relationshiptype", "relationship.relationshipstatus"
REGISTRATION = "registration.registrationstatus"
KINDS = frozenset({"IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY", "IS_INTERNATIONAL_BRANCH_OF"})
DROPPED_REGISTRATIONS = frozenset({"ANNULLED", "DUPLICATE", "RETIRED"})
PERIODS = 5  # GLEIF flattens up to five periods: Relationship.Period.N.startDate, .endDate, .periodType


class GleifFileError(ValueError):
    """The file is not a GLEIF relationship or LEI file this reader understands."""


@dataclass(frozen=True, slots=True)
class Relationship:
    child_lei: str
    parent_lei: str
    kind: str
    start: str  # YYYY-MM-DD of the relationship period, or ""
    end: str


def detect_kind(header: Iterable[str]) -> str:
    names = set(header)
    if {START, END, KIND} <= names:
        return RELATIONSHIPS
    if {"lei", "entity.legalname"} <= names:
        return ENTITIES
    raise GleifFileError(
        "not a GLEIF golden-copy CSV: the header has neither Relationship.StartNode.NodeID, "
        "Relationship.EndNode.NodeID and Relationship.RelationshipType, nor LEI and Entity.LegalName"
    )


@contextmanager
def open_gleif(path: Path) -> Iterator[Iterator[str]]:
    """The lines of a GLEIF CSV, or of the one CSV inside a GLEIF zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if len(members) != 1:
                raise GleifFileError("the zip file must hold exactly one CSV file")
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        return
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
        yield lines


def read_header(lines: Iterable[str]) -> tuple[str, Iterator[list[str]], dict[str, int]]:
    reader = csv.reader(lines)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise GleifFileError("the file is empty") from None
    return detect_kind(header), reader, {name: i for i, name in enumerate(header)}


def read_relationships(lines: Iterable[str]) -> Iterator[Relationship]:
    kind, reader, index = read_header(lines)
    if kind != RELATIONSHIPS:
        raise GleifFileError("not a GLEIF relationship file")
    yield from relationships(reader, index)


def relationships(reader: Iterator[list[str]], index: dict[str, int]) -> Iterator[Relationship]:
    width = len(index)
    padding = [""] * (width + 1)
    at = {name: index.get(name, width) for name in (START, END, START_TYPE, END_TYPE, KIND, STATUS, REGISTRATION)}
    periods = [
        tuple(index.get(f"relationship.period.{n}.{part}", width) for part in ("startdate", "enddate", "periodtype"))
        for n in range(1, PERIODS + 1)
    ]
    for cells in reader:
        if len(cells) <= width:
            cells.extend(padding[len(cells) :])
        child, parent, kind = cells[at[START]].strip(), cells[at[END]].strip(), cells[at[KIND]].strip().upper()
        if not child or not parent or child == parent or kind not in KINDS:
            continue
        if cells[at[START_TYPE]].strip().upper() not in ("", "LEI") or cells[at[END_TYPE]].strip().upper() not in (
            "",
            "LEI",
        ):
            continue
        if cells[at[STATUS]].strip().upper() not in ("", "ACTIVE"):
            continue
        if cells[at[REGISTRATION]].strip().upper() in DROPPED_REGISTRATIONS:
            continue
        start = end = ""
        for start_at, end_at, type_at in periods:
            if cells[type_at].strip().upper() == "RELATIONSHIP_PERIOD":
                start, end = cells[start_at].strip()[:10], cells[end_at].strip()[:10]
                break
        yield Relationship(child.upper(), parent.upper(), kind, start, end)


def read_entity_names(lines: Iterable[str], wanted: set[str] | None = None) -> Iterator[tuple[str, str]]:
    """(LEI, legal name) of the LEIs wanted (all when `wanted` is None)."""
    kind, reader, index = read_header(lines)
    if kind != ENTITIES:
        raise GleifFileError("not a GLEIF LEI file")
    yield from entity_names(reader, index, wanted)


def entity_names(
    reader: Iterator[list[str]], index: dict[str, int], wanted: set[str] | None = None
) -> Iterator[tuple[str, str]]:
    lei_at, name_at = index["lei"], index["entity.legalname"]
    for cells in reader:
        if len(cells) <= max(lei_at, name_at):
            continue
        lei = cells[lei_at].strip().upper()
        if lei and (wanted is None or lei in wanted) and cells[name_at].strip():
            yield lei, " ".join(cells[name_at].split())
