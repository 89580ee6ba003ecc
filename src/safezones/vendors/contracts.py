"""Reading a district's contract export (CSV or XLSX) through its column
mapping: the whole file is checked first and every bad row is reported with
its line number and the reason."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safezones.vendors.screening.awards import parse_date

FIELDS = {
    "number": gettext_lazy("Contract number"),
    "vendor": gettext_lazy("Vendor"),
    "vendor_list": gettext_lazy("Vendors of a master agreement"),
    "title": gettext_lazy("Title"),
    "amount": gettext_lazy("Amount"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "department": gettext_lazy("Department"),
    "category": gettext_lazy("Category"),
    "description": gettext_lazy("Description"),
}
REQUIRED = ("number",)
# Column names seen in district exports, for a first guess the user confirms.
GUESSES = {
    "number": ("contract_number", "contract number", "contract no", "contract", "number", "po number"),
    "vendor": ("vendor_name", "vendor", "supplier", "vendor name", "payee", "name"),
    "vendor_list": ("vendor_list", "vendors", "vendor list"),
    "title": ("title", "contract title", "project"),
    "amount": ("amount", "contract amount", "value", "total", "not to exceed"),
    "start_date": ("start_date", "start date", "begin date", "effective date"),
    "end_date": ("end_date", "end date", "expiration date", "term end"),
    "department": ("department", "division", "office"),
    "category": ("category", "type", "commodity"),
    "description": ("description", "notes", "scope"),
}
MAX_FIELD = 5000
_LEGAL_FORM_PIECE = re.compile(r"^(inc|llc|l\.l\.c|corp|co|ltd|lp|llp|pc|pllc)\.?$", re.IGNORECASE)


class ContractFileError(ValueError):
    pass


@dataclass
class ContractRow:
    line: int
    number: str
    vendors: list[str]
    title: str = ""
    amount: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    department: str = ""
    category: str = ""
    description: str = ""


@dataclass
class ParsedContracts:
    header: list[str] = field(default_factory=list)
    rows: list[ContractRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (with their line numbers) of a CSV or XLSX file."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        rows = [(reader.line_num, cells) for cells in reader]
    except StopIteration:
        raise ContractFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise ContractFileError(_("The file is not readable CSV: %(error)s") % {"error": error}) from None
    return header, rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # older spreadsheet exports; every byte is a character


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:
        raise ContractFileError(_("The file is not a readable XLSX workbook.")) from error
    lines = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(v) for v in next(lines)]
    except StopIteration:
        raise ContractFileError(_("The file is empty.")) from None
    return header, [(n, [_cell(v) for v in values]) for n, values in enumerate(lines, 2)]


def _cell(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    return "" if value is None else str(value).strip()


def guess_mapping(header: list[str]) -> dict[str, str]:
    lowered = {h.strip().lower(): h for h in header}
    mapping: dict[str, str] = {}
    for name, guesses in GUESSES.items():
        found = next((lowered[g] for g in guesses if g in lowered and lowered[g] not in mapping.values()), "")
        if found:
            mapping[name] = found
    return mapping


def parse_contracts(header: list[str], rows: list[tuple[int, list[str]]], mapping: dict[str, str]) -> ParsedContracts:
    result = ParsedContracts(header=header)
    index = {h: i for i, h in enumerate(header)}
    missing = [str(FIELDS[f]) for f in REQUIRED if mapping.get(f) not in index]
    if not (mapping.get("vendor") in index or mapping.get("vendor_list") in index):
        missing.append(str(FIELDS["vendor"]))
    if missing:
        result.errors.append((1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
        return result
    seen: dict[str, int] = {}
    for line, cells in rows:
        values = {
            f: cells[index[c]].strip() if c in index and index[c] < len(cells) else "" for f, c in mapping.items()
        }
        if not any(values.values()):
            continue
        row, problems = _check(line, values)
        if row.number and row.number in seen:
            problems.append(
                _("Contract %(number)s is also on line %(line)s.") % {"number": row.number, "line": seen[row.number]}
            )
        seen.setdefault(row.number, line)
        if problems:
            result.errors.append((line, " ".join(problems)))
        else:
            result.rows.append(row)
    return result


def _check(line: int, values: dict[str, str]) -> tuple[ContractRow, list[str]]:
    problems: list[str] = []
    row = ContractRow(
        line, values.get("number", ""), split_vendors(values.get("vendor", ""), values.get("vendor_list", ""))
    )
    if not row.number:
        problems.append(_("The contract number is empty."))
    if not row.vendors:
        problems.append(_("No vendor is named."))
    if any(len(v) > MAX_FIELD for v in values.values()):
        problems.append(_("A field is longer than %(limit)s characters.") % {"limit": MAX_FIELD})
    row.amount = _amount(values.get("amount", ""), problems)
    row.start_date = _date(values.get("start_date", ""), problems, "start_date")
    row.end_date = _date(values.get("end_date", ""), problems, "end_date")
    if row.start_date and row.end_date and row.end_date < row.start_date:
        problems.append(_("The end date is before the start date."))
    for name in ("title", "department", "category", "description"):
        setattr(row, name, values.get(name, "")[:MAX_FIELD])
    return row, problems


def split_vendors(vendor: str, vendor_list: str) -> list[str]:
    """A master agreement names many vendors in one cell, separated by commas or
    semicolons; a piece that is only a legal form ("Inc.") belongs to the name before it."""
    if not vendor_list.strip():
        return [" ".join(vendor.split())] if vendor.strip() else []
    pieces = [p.strip() for p in re.split(r"[;\n]|,", vendor_list) if p.strip()]
    names: list[str] = []
    for piece in pieces:
        if names and _LEGAL_FORM_PIECE.match(piece.split(" (")[0]):
            names[-1] += ", " + piece
        else:
            names.append(piece)
    return [n[:300] for n in names]


def _amount(text: str, problems: list[str]) -> Decimal | None:
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal("1e14"):
        problems.append(_("The amount “%(value)s” is not a number.") % {"value": text[:40]})
        return None
    return value.quantize(Decimal("0.01"))


def _date(text: str, problems: list[str], name: str) -> date | None:
    if not text.strip():
        return None
    value = parse_date(text, day_first=False)  # district exports write US dates: month first
    if value is None:
        problems.append(
            _("The %(column)s “%(value)s” is not a date (YYYY-MM-DD).") % {"column": name, "value": text[:40]}
        )
    return value
