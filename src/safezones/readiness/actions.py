"""Every change to readiness goes through these functions: each takes the
acting person and their role, runs in one transaction and records it."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safezones.audit.actions import record
from safezones.families.models import Resource
from safezones.readiness.checklist import district_today, expires_on, school_year_of
from safezones.readiness.models import (
    Checklist,
    ChecklistItem,
    Evidence,
    Partner,
    ScoreSnapshot,
    StaffMember,
    StaffRole,
    TrainingCompletion,
)
from safezones.readiness.queries import current_checklist, readiness_of, training_changed
from safezones.readiness.training import TrainingRow
from safezones.schools.models import District, School

if TYPE_CHECKING:
    from safezones.accounts.models import User


class NotAttestableError(ValueError):
    """The item is answered by records, or is not on the checklist."""


@dataclass(frozen=True)
class ChecklistSettings:
    threshold_percent: int
    all_staff_target_percent: int
    protocol_course: str
    school_year_starts_month: int


def publish_checklist(
    actor: "User", role: str, district: District, settings: ChecklistSettings, items: list[ChecklistItem]
) -> Checklist:
    """Save the checklist as a new version; the older versions stay as they were."""
    with transaction.atomic():
        latest = Checklist.objects.select_for_update().filter(district=district).order_by("-version").first()
        checklist = Checklist.objects.create(
            district=district,
            version=(latest.version if latest else 0) + 1,
            created_at=timezone.now(),
            created_by=actor,
            **vars(settings),
        )
        for position, item in enumerate(items):
            item.pk, item.checklist, item.position = None, checklist, position
            item.full_clean(exclude=["checklist"])
        ChecklistItem.objects.bulk_create(items)
        record(actor, "readiness.checklist.publish", checklist, role=role, object_id=f"v{checklist.version}")
    return checklist


def attest_item(
    actor: "User | None",
    role: str,
    school: School,
    item_key: str,
    *,
    on: date,
    note: str = "",
    file: "UploadedFile[Any] | None" = None,
) -> Evidence:
    """The site administrator's word that an item is in place, with its
    evidence; it replaces the school's earlier evidence for the item."""
    district = school.area.district
    checklist = current_checklist(district)
    item = next((item for item in checklist.items if item.key == item_key and item.is_attested), None)
    if item is None:
        raise NotAttestableError(item_key)
    with transaction.atomic():
        Evidence.objects.filter(school=school, item_key=item_key, superseded=False).update(superseded=True)
        evidence = Evidence(
            school=school,
            item_key=item_key,
            on=on,
            note=note,
            school_year=school_year_of(on, checklist.starts_month),
            expires_on=expires_on(item, on, checklist.starts_month),
            attested_by=actor,
            attested_at=timezone.now(),
        )
        if file is not None:
            evidence.file.save(file.name or "evidence", file, save=False)
        evidence.save()
        record(actor, "readiness.attest", evidence, role=role, school_code=school.code)
        take_snapshots(School.objects.filter(pk=school.pk), district)
    return evidence


def verify_item(actor: "User | None", role: str, school: School, item_key: str) -> Evidence | None:
    """The area office's check of the school's current evidence for the item."""
    with transaction.atomic():
        evidence = (
            Evidence.objects.select_for_update().filter(school=school, item_key=item_key, superseded=False).first()
        )
        if evidence is None:
            return None
        if evidence.verified_at is None:
            evidence.verified_by, evidence.verified_at = actor, timezone.now()
            evidence.save(update_fields=["verified_by", "verified_at"])
            record(actor, "readiness.verify", evidence, role=role, school_code=school.code)
            take_snapshots(School.objects.filter(pk=school.pk), school.area.district)
    return evidence


def add_partner(actor: "User | None", role: str, school: School, resource: Resource) -> Partner:
    with transaction.atomic():
        partner, created = Partner.objects.get_or_create(school=school, resource=resource)
        if created:
            record(actor, "readiness.partner.add", partner, role=role, school_code=school.code)
            take_snapshots(School.objects.filter(pk=school.pk), school.area.district)
    return partner


def remove_partner(actor: "User", role: str, school: School, resource: Resource) -> bool:
    with transaction.atomic():
        partner = Partner.objects.filter(school=school, resource=resource).first()
        if partner is None:
            return False
        record(actor, "readiness.partner.remove", partner, role=role, school_code=school.code)
        partner.delete()
        take_snapshots(School.objects.filter(pk=school.pk), school.area.district)
    return True


@dataclass(frozen=True)
class TrainingSummary:
    staff_added: int
    staff_updated: int
    completions_added: int


def import_training(actor: "User | None", role: str, district: District, rows: list[TrainingRow]) -> TrainingSummary:
    """Apply rows that were all validated, in one transaction: staff are
    added or moved by employee id, completions are added once each."""
    schools = {school.code: school for school in School.objects.filter(code__in={row.school for row in rows})}
    with transaction.atomic():
        staff, added, updated = _upsert_staff(rows, schools)
        completions = [
            TrainingCompletion(staff=staff[row.employee_id], course=row.course, completed_on=row.completed_on)
            for row in rows
        ]
        before = TrainingCompletion.objects.count()
        TrainingCompletion.objects.bulk_create(completions, ignore_conflicts=True, batch_size=2000)
        new = TrainingCompletion.objects.count() - before
        record(actor, "readiness.training.import", district, role=role, object_id=f"{len(rows)} rows")
        take_snapshots(School.objects.filter(pk__in=[school.pk for school in schools.values()]), district)
        transaction.on_commit(lambda: training_changed(district))
    return TrainingSummary(added, updated, new)


def _upsert_staff(rows: list[TrainingRow], schools: dict[str, School]) -> tuple[dict[str, StaffMember], int, int]:
    wanted: dict[str, tuple[School, str]] = {}
    for row in rows:
        school, role = wanted.get(row.employee_id, (schools[row.school], ""))
        wanted[row.employee_id] = (school, row.role or role)
    existing: dict[str, StaffMember] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 900):
        for member in StaffMember.objects.select_for_update().filter(employee_id__in=ids[start : start + 900]):
            existing[member.employee_id] = member
    changed = []
    for employee_id, (school, role) in wanted.items():
        known = existing.get(employee_id)
        if known is not None and (known.school_id != school.pk or (role and known.role != role)):
            known.school, known.role = school, role or known.role
            changed.append(known)
    StaffMember.objects.bulk_update(changed, ["school", "role"], batch_size=2000)
    new = [
        StaffMember(employee_id=employee_id, school=school, role=role or StaffRole.OTHER)
        for employee_id, (school, role) in wanted.items()
        if employee_id not in existing
    ]
    StaffMember.objects.bulk_create(new, batch_size=2000)
    if new:
        # bulk_create fills in primary keys on PostgreSQL and SQLite alike, but read them back to be sure.
        for start in range(0, len(new), 900):
            chunk = [member.employee_id for member in new[start : start + 900]]
            for member in StaffMember.objects.filter(employee_id__in=chunk):
                existing[member.employee_id] = member
    return existing, len(new), len(changed)


def take_snapshots(schools: QuerySet[School], district: District, today: date | None = None) -> int:
    """Write each school's score for today (once a day; a later call the same day replaces it)."""
    today = today or district_today(district)
    readiness = readiness_of(schools.select_related("area"), district, today, with_evidence=False)
    with transaction.atomic():
        ScoreSnapshot.objects.filter(school__in=[entry.school for entry in readiness], on=today).delete()
        ScoreSnapshot.objects.bulk_create(
            [ScoreSnapshot(school=entry.school, on=today, score=entry.score) for entry in readiness], batch_size=2000
        )
    return len(readiness)
