"""Reading a training-records file from the district's learning system (CSV:
employee_id, school, course, completion_date, and optionally role).

Pure parsing and validation against the known school codes: the whole file is
checked and every bad row is reported with its line number before anything
is written.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from safezones.readiness.models import StaffRole

REQUIRED_COLUMNS = ("employee_id", "school", "course", "completion_date")
MAX_ROWS = 200_000


@dataclass(frozen=True)
class TrainingRow:
    line: int
    employee_id: str
    school: str  # the school's code as the district writes it
    course: str
    completed_on: date
    role: str  # empty when the file does not say


@dataclass
class ParsedTraining:
    rows: list[TrainingRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_training(data: bytes, school_codes: set[str], today: date) -> ParsedTraining:
    result = ParsedTraining()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((1, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower().replace(" ", "_") for column in next(reader)]
    except (StopIteration, csv.Error):
        result.errors.append((1, _("The file is empty or its header row cannot be read.")))
        return result
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        result.errors.append((1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
        return result
    known = {code.lower(): code for code in school_codes}
    _read_rows(reader, header, known, today, result)
    return result


def _read_rows(reader: Any, header: list[str], known: dict[str, str], today: date, result: ParsedTraining) -> None:
    schools_of: dict[str, tuple[str, int]] = {}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            result.errors.append((reader.line_num, _("This row cannot be read as CSV.")))
            return
        if not any(value.strip() for value in values):
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append((reader.line_num, _("The file has more than %(max)d rows.") % {"max": MAX_ROWS}))
            return
        cells = {name: value.strip() for name, value in zip(header, values, strict=False)}
        row, problems = _check_row(reader.line_num, cells, known, today)
        if row is not None:
            first = schools_of.setdefault(row.employee_id, (row.school, row.line))
            if first[0] != row.school:
                problems.append(
                    _("Employee %(id)s is at another school on line %(line)d.")
                    % {"id": row.employee_id, "line": first[1]}
                )
        if problems or row is None:
            result.errors.append((reader.line_num, " ".join(problems)))
        else:
            result.rows.append(row)


def _check_row(
    line: int, cells: dict[str, str], known: dict[str, str], today: date
) -> tuple[TrainingRow | None, list[str]]:
    problems: list[str] = []
    employee_id, course, role = cells.get("employee_id", ""), cells.get("course", ""), cells.get("role", "").lower()
    school = known.get(cells.get("school", "").lower(), "")
    if not employee_id or len(employee_id) > 64:
        problems.append(_("The employee id is empty or longer than 64 characters."))
    if not school:
        problems.append(_("No school has the code “%(code)s”.") % {"code": cells.get("school", "")})
    if not course or len(course) > 200:
        problems.append(_("The course is empty or longer than 200 characters."))
    if role and role not in StaffRole.values:
        problems.append(_("The role must be one of: %(roles)s.") % {"roles": ", ".join(StaffRole.values)})
    completed = _date(cells.get("completion_date", ""))
    if completed is None:
        problems.append(_("The completion date must be written YYYY-MM-DD."))
    elif completed > today:
        problems.append(_("The completion date is in the future."))
    if problems or completed is None:
        return None, problems
    return TrainingRow(line, employee_id, school, course, completed, role), problems


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
