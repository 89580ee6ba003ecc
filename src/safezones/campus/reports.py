"""The board's de-identified report (Education Code 234.7): access attempts
and records requests by school and area for a period, with the kinds of
documents presented and the outcomes. Counts only: no names, no times of
day, no free text. Drills are left out."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from safezones.campus.models import Incident, IncidentKind, RecordsRequest
from safezones.schools.models import District

CSV_COLUMNS = (
    "area_code",
    "area_name",
    "school_code",
    "school_name",
    "access_attempts",
    "sightings_nearby",
    "documents_presented",
    "outcomes",
    "records_requests",
    "records_released",
    "records_refused_or_withdrawn",
    "records_blocked",
)


@dataclass
class SchoolRow:
    area_code: str
    area_name: str
    school_code: str
    school_name: str
    access_attempts: int = 0
    sightings_nearby: int = 0
    documents: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)

    # Templates look a Counter's "items" up as a key (and get 0): give them lists.
    @property
    def document_counts(self) -> list[tuple[str, int]]:
        return sorted(self.documents.items())

    @property
    def outcome_counts(self) -> list[tuple[str, int]]:
        return sorted(self.outcomes.items())

    @property
    def released(self) -> int:
        return self.records["released"]

    @property
    def records_total(self) -> int:
        return sum(self.records.values())


def board_report(district: District, start: date, end: date) -> list[SchoolRow]:
    """One row per school with anything to report in [start, end] (district dates)."""
    zone = district.zone
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end, time.max, tzinfo=zone)
    rows: dict[int, SchoolRow] = {}

    def row(school) -> SchoolRow:  # type: ignore[no-untyped-def]
        if school.pk not in rows:
            rows[school.pk] = SchoolRow(school.area.code, school.area.name, school.code, school.name)
        return rows[school.pk]

    incidents = Incident.objects.filter(drill=False, started_at__range=(since, until)).select_related("school__area")
    for incident in incidents.prefetch_related("documents"):
        entry = row(incident.school)
        if incident.kind == IncidentKind.NEARBY:
            entry.sightings_nearby += 1
            continue
        entry.access_attempts += 1
        entry.outcomes[incident.outcome or "open"] += 1
        for document in incident.documents.all():
            entry.documents[document.kind] += 1
    requests = RecordsRequest.objects.filter(received_at__range=(since, until)).select_related("school__area")
    for request in requests:
        entry = row(request.school)
        entry.records[request.status] += 1
        if request.document_kind:
            entry.documents[request.document_kind] += 1
    return sorted(rows.values(), key=lambda r: (r.area_code, r.school_code))


def _counts(counter: Counter[str]) -> str:
    return "; ".join(f"{name}={count}" for name, count in sorted(counter.items()))


def report_csv(rows: list[SchoolRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.area_code,
                r.area_name,
                r.school_code,
                r.school_name,
                r.access_attempts,
                r.sightings_nearby,
                _counts(r.documents),
                _counts(r.outcomes),
                r.records_total,
                r.records["released"],
                r.records["refused"] + r.records["withdrawn"],
                r.records["blocked"],
            ]
        )
    return out.getvalue()


def default_period() -> tuple[date, date]:
    """From the start of the school year (1 July) to today."""
    today = timezone.localdate()
    year = today.year if today.month >= 7 else today.year - 1
    return date(year, 7, 1), today
