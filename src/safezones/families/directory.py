"""The resource directory: reading a district's file of resources, finding
entries for a family, and the workshops as an iCalendar feed."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safezones.families.actions import import_resources
from safezones.families.models import Resource
from safezones.lib.languages import is_language_code
from safezones.schools.models import Area

COLUMNS = ("kind", "name", "description", "phone", "website", "address", "languages", "areas", "cost", "hours")
REQUIRED = ("kind", "name", "last_verified")


@dataclass
class ParsedDirectory:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_directory(data: bytes, zone: ZoneInfo) -> ParsedDirectory:
    """Check the whole file (CSV with a header row) and report every bad row."""
    result = ParsedDirectory()
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except UnicodeDecodeError:
        result.errors.append((1, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")))
        return result
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        result.errors.append((1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
        return result
    areas = {area.code.lower(): area for area in Area.objects.all()}
    for raw in reader:
        cells = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        if not any(cells.values()):
            continue
        row, problems = _check(cells, areas, zone)
        if problems:
            result.errors.append((reader.line_num, " ".join(problems)))
        else:
            result.rows.append(row)
    return result


def _check(cells: dict[str, str], areas: dict[str, Area], zone: ZoneInfo) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    if cells.get("kind") not in Resource.Kind.values:
        problems.append(_("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(Resource.Kind.values)})
    if not cells.get("name"):
        problems.append(_("The name is empty."))
    cost = cells.get("cost") or Resource.Cost.FREE
    if cost not in Resource.Cost.values:
        problems.append(_("The cost must be free, low or fee."))
    languages = [code.lower() for code in cells.get("languages", "").replace(",", ";").split(";") if code.strip()]
    languages = [code.strip() for code in languages]
    if any(not is_language_code(code) for code in languages):
        problems.append(_("A language code is not known."))
    area_codes = [code.strip().lower() for code in cells.get("areas", "").replace(",", ";").split(";") if code.strip()]
    if any(code not in areas for code in area_codes):
        problems.append(_("An area code is not known."))
    verified = _date(cells.get("last_verified", ""), problems, "last_verified")
    starts = _moment(cells.get("starts_at", ""), zone, problems)
    if cells.get("kind") == Resource.Kind.WORKSHOP and starts is None:
        problems.append(_("A workshop needs starts_at (YYYY-MM-DD HH:MM)."))
    row: dict[str, Any] = {name: cells.get(name, "") for name in COLUMNS}
    row.update(cost=cost, languages=languages, areas=[areas[code] for code in area_codes if code in areas])
    row.update(last_verified=verified, starts_at=starts)
    return row, problems


def _date(text: str, problems: list[str], label: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(_("%(column)s must be a date like 2026-11-30.") % {"column": label})
        return None


def _moment(text: str, zone: ZoneInfo, problems: list[str]) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=zone)
    except ValueError:
        problems.append(_("starts_at must be a date and time like 2026-12-05 18:30."))
        return None


def import_directory(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Add or update entries by kind and name, all in one transaction (the
    command's way in; the district's pages call the action with the person)."""
    return import_resources(None, "system", rows)


def find_resources(kind: str = "", language: str = "", area: str = "") -> QuerySet[Resource]:
    found = Resource.objects.prefetch_related("areas")
    if kind:
        found = found.filter(kind=kind)
    if language:
        found = found.filter(languages__icontains=f'"{language}"')
    if area:
        found = found.filter(Q(areas__code=area) | Q(areas__isnull=True)).distinct()
    today_start = timezone.now()
    return found.exclude(kind=Resource.Kind.WORKSHOP, starts_at__lt=today_start)


def workshops_calendar(site_name: str) -> str:
    """Upcoming and past workshops as an iCalendar (RFC 5545) feed."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{_ical(site_name)}//Safe Zones//EN", "CALSCALE:GREGORIAN"]
    for workshop in Resource.objects.filter(kind=Resource.Kind.WORKSHOP, starts_at__isnull=False):
        if workshop.starts_at is None:
            continue
        start = workshop.starts_at.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
        lines += [
            "BEGIN:VEVENT",
            f"UID:workshop-{workshop.pk}@safezones",
            f"DTSTAMP:{start}",
            f"DTSTART:{start}",
            f"SUMMARY:{_ical(workshop.name)}",
            f"LOCATION:{_ical(workshop.address)}",
            f"DESCRIPTION:{_ical(workshop.description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _ical(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def resources_to_check(today: date) -> list[Resource]:
    """Entries not verified for six months, for the district to check."""
    return [resource for resource in Resource.objects.order_by("last_verified") if resource.needs_checking(today)]
