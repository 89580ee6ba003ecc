"""Figures readiness reads from other parts of Safe Zones, one query each for
any number of schools.

Family cases come from `families`; drills, incidents, records requests and
the families' "agents present / agents departed" notices from `campus`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safezones.campus.models import Incident, IncidentStatus, NoticeKind, RecordsRequest
from safezones.campus.notices import latest_public_notice
from safezones.families.models import FamilyCase, Status
from safezones.schools.models import School

DONE = (Status.RESOLVED, Status.CLOSED)
# Named rather than "not DONE": a list of statuses lets the database read
# only the open cases through the (school, status) index instead of every case.
OPEN = tuple(status for status in Status if status not in DONE)
# An incident should be closed, and a records request decided, within these
# many days; past them they count as overdue on the dashboards.
INCIDENT_DAYS = 2
RECORDS_REQUEST_DAYS = 5


@dataclass(frozen=True)
class CaseCounts:
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Notice:
    """The latest notice to families about agents at the school (no names)."""

    kind: str  # "present" or "departed"
    sent_on: date


def campus_is_ready() -> bool:
    """Whether the counts below come from campus (they do)."""
    return True


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def family_case_counts(schools: QuerySet[School], today: date) -> dict[int, CaseCounts]:
    """Open and overdue family cases per school (requests and reports together)."""
    late = Q(status=Status.RECEIVED, acknowledge_by__lt=today) | Q(resolve_by__lt=today)
    rows = (
        FamilyCase.objects.filter(school_id__in=schools.values("pk"), status__in=OPEN)
        .values("school_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=late))
    )
    return {row["school_id"]: CaseCounts(row["open"], row["overdue"]) for row in rows}


def reports_this_year(school_id: int, since: date) -> tuple[int, int]:
    """Reports of noncompliance received since the date, and how many of them are resolved."""
    counts = FamilyCase.objects.filter(
        school_id=school_id, kind=FamilyCase.Kind.REPORT, received_on__gte=since
    ).aggregate(received=Count("pk"), resolved=Count("pk", filter=Q(status__in=DONE)))
    return counts["received"], counts["resolved"]


def drills_since(schools: QuerySet[School], since: date) -> dict[int, int]:
    """Drills recorded per school since the date."""
    rows = (
        Incident.objects.filter(school_id__in=schools.values("pk"), drill=True, started_at__gte=_start_of(since))
        .values("school_id")
        .annotate(count=Count("pk"))
    )
    return {row["school_id"]: row["count"] for row in rows}


def incident_counts(schools: QuerySet[School], today: date) -> dict[int, CaseCounts]:
    """Open (not closed) and overdue incidents per school, drills left out."""
    late = Q(started_at__lt=_start_of(today - timedelta(days=INCIDENT_DAYS)))
    rows = (
        Incident.objects.filter(school_id__in=schools.values("pk"), drill=False)
        .exclude(status=IncidentStatus.CLOSED)
        .values("school_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=late))
    )
    return {row["school_id"]: CaseCounts(row["open"], row["overdue"]) for row in rows}


def records_request_counts(schools: QuerySet[School], today: date) -> dict[int, CaseCounts]:
    """Records requests not yet decided per school, and those waiting too long."""
    late = Q(received_at__lt=_start_of(today - timedelta(days=RECORDS_REQUEST_DAYS)))
    rows = (
        RecordsRequest.objects.filter(school_id__in=schools.values("pk"), status=RecordsRequest.Status.BLOCKED)
        .values("school_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=late))
    )
    return {row["school_id"]: CaseCounts(row["open"], row["overdue"]) for row in rows}


def latest_notice(school_id: int) -> Notice | None:
    """The latest published "agents present / agents departed" notice."""
    notice = latest_public_notice(school_id)
    if notice is None or notice.published_at is None:
        return None
    kind = "present" if notice.kind == NoticeKind.AGENTS_PRESENT else "departed"
    return Notice(kind, timezone.localdate(notice.published_at))
