"""Every change to the district's structure goes through these functions."""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from safezones.audit.actions import record
from safezones.schools.models import Area, District, School
from safezones.schools.queries import schools_changed
from safezones.schools.roster import SchoolRow

if TYPE_CHECKING:
    from safezones.accounts.models import User

SYSTEM_ROLE = "system"


def set_district(
    actor: "User | None",
    *,
    name: str,
    time_zone: str,
    policy_reference: str = "",
    languages: list[str] | None = None,
    area_words: dict[str, list[str]] | None = None,
) -> District:
    """Create the installation's district, or update it if it exists."""
    with transaction.atomic():
        district = District.objects.select_for_update().first() or District()
        created = district.pk is None
        district.name, district.time_zone, district.policy_reference = name, time_zone, policy_reference
        district.languages = languages or ["en", "es"]
        district.area_words = area_words or {}
        district.full_clean()
        district.save()
        record(actor, "district.create" if created else "district.update", district, role=SYSTEM_ROLE)
    return district


def create_area(actor: "User | None", district: District, *, code: str, name: str) -> Area:
    with transaction.atomic():
        area = Area(district=district, code=code, name=name)
        area.full_clean()
        area.save()
        record(actor, "area.create", area, role=SYSTEM_ROLE)
    return area


def update_school(actor: "User", role: str, school: School, *, name: str, address: str, languages: list[str]) -> School:
    with transaction.atomic():
        school.name, school.address, school.languages = name, address, languages
        school.full_clean()
        school.save(update_fields=["name", "address", "languages"])
        record(actor, "school.update", school, role=role, school_code=school.code)
        transaction.on_commit(schools_changed)
    return school


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    areas_created: list[str] = field(default_factory=list)


def import_schools(actor: "User | None", district: District, rows: list[SchoolRow]) -> ImportSummary:
    """Apply rows that were all validated: new codes are added, known codes
    updated, in one transaction so a failure leaves nothing half-done."""
    summary = ImportSummary()
    with transaction.atomic():
        areas = _areas_for(actor, district, {row.area for row in rows}, summary)
        existing = {school.code.lower(): school for school in School.objects.select_for_update()}
        for row in rows:
            _apply_row(actor, existing.get(row.code.lower()), areas[row.area.lower()], row, summary)
        record(actor, "school.import", district, role=SYSTEM_ROLE, object_id=f"{len(rows)} rows")
        transaction.on_commit(schools_changed)
    return summary


def _areas_for(actor: "User | None", district: District, names: set[str], summary: ImportSummary) -> dict[str, Area]:
    known: dict[str, Area] = {}
    for area in Area.objects.filter(district=district):
        known.setdefault(area.name.lower(), area)
        known[area.code.lower()] = area
    for name in sorted(names):
        if name.lower() not in known:
            area = Area.objects.create(district=district, code=_area_code(name), name=name)
            record(actor, "area.create", area, role=SYSTEM_ROLE)
            known[name.lower()] = area
            summary.areas_created.append(name)
    return known


def _area_code(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:28] or "AREA"
    code, suffix = base, 2
    while Area.objects.filter(code=code).exists():
        code, suffix = f"{base}-{suffix}", suffix + 1
    return code


def _apply_row(actor: "User | None", school: School | None, area: Area, row: SchoolRow, summary: ImportSummary) -> None:
    if school is None:
        school = School.objects.create(
            area=area, code=row.code, name=row.name, address=row.address, languages=row.languages
        )
        record(actor, "school.create", school, role=SYSTEM_ROLE, school_code=school.code)
        summary.created.append(school.code)
        return
    new = (area.pk, row.name, row.address, row.languages)
    if (school.area_id, school.name, school.address, school.languages) == new:
        summary.unchanged.append(school.code)
        return
    school.area, school.name, school.address, school.languages = area, row.name, row.address, row.languages
    school.save(update_fields=["area", "name", "address", "languages"])
    record(actor, "school.update", school, role=SYSTEM_ROLE, school_code=school.code)
    summary.updated.append(school.code)
