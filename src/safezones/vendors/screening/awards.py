"""Federal award data as USAspending publishes it, read one row at a time.

Two layouts are understood, told apart by their header:
- the award summary download of the UEI era (`contract_award_unique_key`,
  `total_obligated_amount`, `recipient_uei`, `recipient_parent_uei`, ...);
- the transaction download, new or old (`federal_action_obligation`,
  `recipient_duns`, `recipient_parent_duns`, ...), as in the ICE files
  compiled by the Torn Apart project, whose dates are written day first.
A file is never read whole: rows are yielded as they are read, so a
multi-gigabyte download needs the memory of one row.
"""

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO

DEFAULT_AGENCIES = frozenset({"7012", "7014"})  # ICE, CBP (awarding sub-agency codes)
SUMMARY, TRANSACTIONS = "summary", "transactions"
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long descriptions are legal in federal data


class AwardFileError(ValueError):
    """The file is not a USAspending award file this reader understands."""


@dataclass(slots=True)
class AwardRow:
    key: str  # unique per award (summary) or per transaction
    award_id: str
    recipient_name: str
    recipient_uei: str
    recipient_duns: str
    cage_code: str
    parent_name: str
    parent_uei: str
    parent_duns: str
    agency_code: str
    agency: str
    sub_agency_code: str
    sub_agency: str
    office: str
    obligated: Decimal
    action_date: date | None
    start_date: date | None
    end_date: date | None
    description: str
    psc: str
    psc_description: str
    naics: str
    naics_description: str
    permalink: str
    recipient_alias: str = ""  # doing-business-as name


def detect_layout(header: Iterable[str]) -> str:
    names = set(header)
    if "total_obligated_amount" in names:
        return SUMMARY
    if "federal_action_obligation" in names:
        return TRANSACTIONS
    raise AwardFileError(
        "not a USAspending contract file: the header has neither total_obligated_amount nor federal_action_obligation"
    )


def open_text(stream: IO[bytes]) -> io.TextIOWrapper:
    """UTF-8 (with or without a byte-order mark); Latin-1 is read as such."""
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")


COLUMNS = (
    "award_id_piid", "award_id_fain", "contract_award_unique_key", "total_obligated_amount",
    "prime_award_base_transaction_description", "award_description", "contract_transaction_unique_key",
    "modification_number", "transaction_number", "parent_award_id", "federal_action_obligation",
    "transaction_description", "recipient_name", "recipient_uei", "recipient_duns", "cage_code",
    "recipient_parent_name", "recipient_parent_uei", "recipient_parent_duns", "awarding_agency_code",
    "awarding_agency_name", "awarding_sub_agency_code", "awarding_sub_agency_name", "awarding_office_name",
    "action_date", "award_latest_action_date", "period_of_performance_start_date",
    "period_of_performance_current_end_date", "product_or_service_code", "product_or_service_code_description",
    "naics_code", "naics_description", "usaspending_permalink", "recipient_doing_business_as_name",
)  # fmt: skip


def read_awards(
    lines: Iterable[str], agencies: frozenset[str] | None = DEFAULT_AGENCIES, source: str = ""
) -> Iterator[AwardRow]:
    """Rows of the agencies that count (all agencies when `agencies` is None).

    A row is only split into cells until its sub-agency is known: rows of other
    agencies cost nothing more. Columns absent from the file read as empty."""
    reader = csv.reader(lines)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise AwardFileError("the file is empty") from None
    layout = detect_layout(header)
    index = {name: i for i, name in enumerate(header)}
    width = len(header)
    positions = [(name, index.get(name, width)) for name in COLUMNS]  # `width` is the empty cell added below
    agency_at = index.get("awarding_sub_agency_code", width)
    padding = [""] * (width + 1)
    for cells in reader:
        if not cells:
            continue
        if len(cells) <= width:
            cells.extend(padding[len(cells) :])
        if agencies is not None and cells[agency_at].strip() not in agencies:
            continue
        yield _row(layout, {name: cells[at].strip() for name, at in positions})


def _row(layout: str, v: dict[str, str]) -> AwardRow:
    award_id = v["award_id_piid"] or v["award_id_fain"] or v["contract_award_unique_key"]
    if layout == SUMMARY:
        key = v["contract_award_unique_key"] or award_id
        obligated = parse_amount(v["total_obligated_amount"])
        description = v["prime_award_base_transaction_description"] or v["award_description"]
    else:
        key = v["contract_transaction_unique_key"] or "_".join(
            [award_id, v["modification_number"], v["transaction_number"], v["parent_award_id"]]
        )
        obligated = parse_amount(v["federal_action_obligation"])
        description = v["transaction_description"] or v["award_description"]
    return AwardRow(
        key=key,
        award_id=award_id,
        recipient_name=v["recipient_name"],
        recipient_uei=v["recipient_uei"].upper(),
        recipient_duns=pad_duns(v["recipient_duns"]),
        cage_code=v["cage_code"].upper(),
        parent_name=v["recipient_parent_name"],
        parent_uei=v["recipient_parent_uei"].upper(),
        parent_duns=pad_duns(v["recipient_parent_duns"]),
        agency_code=v["awarding_agency_code"],
        agency=v["awarding_agency_name"],
        sub_agency_code=v["awarding_sub_agency_code"],
        sub_agency=v["awarding_sub_agency_name"],
        office=v["awarding_office_name"],
        obligated=obligated,
        action_date=parse_date(v["action_date"] or v["award_latest_action_date"]),
        start_date=parse_date(v["period_of_performance_start_date"]),
        end_date=parse_date(v["period_of_performance_current_end_date"]),
        description=description,
        psc=v["product_or_service_code"],
        psc_description=v["product_or_service_code_description"],
        naics=v["naics_code"],
        naics_description=v["naics_description"],
        permalink=v["usaspending_permalink"],
        recipient_alias=v["recipient_doing_business_as_name"],
    )


def pad_duns(value: str) -> str:
    """DUNS numbers lose their leading zeros in spreadsheets: nine digits again."""
    value = value.strip().split(".")[0]
    return value.zfill(9) if value.isdigit() else ""


def parse_amount(value: str) -> Decimal:
    cleaned = value.replace(",", "").replace("$", "").strip()
    if not cleaned or not _NUMBER.match(cleaned):
        return Decimal(0)
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return Decimal(0)


def parse_date(value: str, *, day_first: bool = True) -> date | None:
    """ISO dates, and the slashed dates of spreadsheet exports ("27/03/2014",
    "28/09/17 00:00"); a slashed date is read day first unless that is impossible."""
    text = value.strip().split(" ")[0].split("T")[0]
    if not text:
        return None
    if "/" not in text:
        return _iso_date(text)
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    first, second, year = (int(p) for p in parts)
    year += 2000 if year < 100 else 0
    day, month = (first, second) if day_first else (second, first)
    if month > 12 and day <= 12:
        day, month = month, day
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)  # "2024-05-01" and "20240501", the usual case, quickly
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date, "2024-5-1"
    except ValueError:
        return None
