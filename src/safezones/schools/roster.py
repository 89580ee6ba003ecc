"""Reading a schools file (CSV: code, name, area, address, languages).

Pure parsing and validation, no database: the whole file is checked and every
bad row is reported with its line number before anything is written.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safezones.lib.languages import is_language_code

REQUIRED_COLUMNS = ("code", "name", "area")
OPTIONAL_COLUMNS = ("address", "languages")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class SchoolRow:
    line: int
    code: str
    name: str
    area: str
    address: str
    languages: list[str]


@dataclass
class ParsedRoster:
    rows: list[SchoolRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_roster(data: bytes) -> ParsedRoster:
    result = ParsedRoster()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((1, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        result.errors.append((1, _("The file is empty.")))
        return result
    except csv.Error as error:
        result.errors.append(
            (1, _("The header row cannot be read as CSV (%(detail)s).") % {"detail": _csv_detail(error)})
        )
        return result
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        message = ngettext("Missing column: %(columns)s.", "Missing columns: %(columns)s.", len(missing))
        result.errors.append((1, message % {"columns": ", ".join(missing)}))
        return result
    _read_rows(reader, header, result)
    return result


def _read_rows(reader: Any, header: list[str], result: ParsedRoster) -> None:
    seen: dict[str, int] = {}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(
                (reader.line_num, _("This row cannot be read as CSV (%(detail)s).") % {"detail": _csv_detail(error)})
            )
            break
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append((line, _("The file has more than %(max)d rows.") % {"max": MAX_ROWS}))
            break
        row, problems = _check_row(line, dict(zip(header, values, strict=False)), len(values), len(header))
        if row is not None and row.code.lower() in seen:
            problems.append(
                _("The code %(code)s already appears on line %(line)d.")
                % {"code": row.code, "line": seen[row.code.lower()]}
            )
        if problems or row is None:
            result.errors.append((line, " ".join(problems)))
        else:
            seen[row.code.lower()] = line
            result.rows.append(row)


def _check_row(line: int, cells: dict[str, str], width: int, expected: int) -> tuple[SchoolRow | None, list[str]]:
    problems: list[str] = []
    if width > expected:
        problems.append(_("The row has more cells than the header."))
    code = cells.get("code", "").strip()
    name = cells.get("name", "").strip()
    area = cells.get("area", "").strip()
    address = cells.get("address", "").strip()
    languages = [code.strip().lower() for code in re.split(r"[;,\s]+", cells.get("languages", "")) if code.strip()]
    if not code:
        problems.append(_("The code is empty."))
    elif not CODE_PATTERN.match(code):
        problems.append(
            _("The code “%(code)s” may only hold letters, digits, “-”, “_” and “.” (at most 32).") % {"code": code}
        )
    if not name:
        problems.append(_("The name is empty."))
    elif len(name) > 200:
        problems.append(_("The name is longer than 200 characters."))
    if not area:
        problems.append(_("The area is empty."))
    elif len(area) > 200:
        problems.append(_("The area is longer than 200 characters."))
    if len(address) > 300:
        problems.append(_("The address is longer than 300 characters."))
    unknown = [language for language in languages if not is_language_code(language)]
    if unknown:
        message = ngettext("Unknown language code: %(codes)s.", "Unknown language codes: %(codes)s.", len(unknown))
        problems.append(message % {"codes": ", ".join(unknown)})
    if problems:
        return None, problems
    return SchoolRow(line, code, name, area, address, list(dict.fromkeys(languages))), problems


def _csv_detail(error: Exception) -> str:
    # The csv module's messages are English; name the usual cause in the user's language.
    if "NUL" in str(error) or "null byte" in str(error):
        return _("the file holds a NUL character")
    if "field larger" in str(error):
        return _("a cell is too long")
    return _("unbalanced quotation marks")
