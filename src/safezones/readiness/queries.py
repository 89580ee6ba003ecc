"""Reading readiness: each school's items, score and figures.

`readiness_of` answers for any number of schools with the same handful of
queries (the dashboards' query-count tests hold it to that). For many schools
it reads plain values, not model instances: the district dashboard of a large
district builds twelve item states for each of a thousand schools.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Case, Count, Max, Q, QuerySet, Value, When

from safezones.readiness import sources
from safezones.readiness.checklist import default_items, district_today, school_year_start
from safezones.readiness.models import (
    Checklist,
    ChecklistItem,
    Evidence,
    Partner,
    ScoreSnapshot,
    Source,
    StaffMember,
    StaffRole,
    TrainingCompletion,
)
from safezones.schools.models import Area, District, School

EXPIRING_DAYS = 30


class State:
    VERIFIED = "verified"
    ATTESTED = "attested"
    RECORDED = "recorded"  # met by records (training, drills, partners)
    MISSING = "missing"
    EXPIRED = "expired"


@dataclass
class CurrentChecklist:
    checklist: Checklist  # unsaved (version 0) until the district first edits it
    items: list[ChecklistItem]

    @property
    def starts_month(self) -> int:
        return self.checklist.school_year_starts_month


@dataclass(frozen=True)
class ItemStatus:
    item: ChecklistItem
    state: str
    evidence: Evidence | None = None
    expiring: bool = False

    @property
    def met(self) -> bool:
        return self.state in (State.VERIFIED, State.ATTESTED, State.RECORDED)


@dataclass
class Training:
    staff: int = 0
    trained: int = 0
    by_role: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def front_office(self) -> tuple[int, int]:
        return self.by_role.get(StaffRole.FRONT_OFFICE, (0, 0))

    @property
    def percent(self) -> int | None:
        return None if not self.staff else round(100 * self.trained / self.staff)


@dataclass
class SchoolReadiness:
    school: School
    items: list[ItemStatus]
    training: Training
    threshold: int
    drills: int = 0
    cases: sources.CaseCounts = field(default_factory=sources.CaseCounts)
    incidents: sources.CaseCounts | None = None
    records_requests: sources.CaseCounts | None = None

    # Figures are read many times per page (sorting, bands, the table), so
    # each is worked out once; a SchoolReadiness is not changed after it is built.
    @cached_property
    def met(self) -> int:
        return sum(status.met for status in self.items)

    @cached_property
    def score(self) -> int:
        return round(100 * self.met / len(self.items)) if self.items else 0

    @property
    def below_threshold(self) -> bool:
        return self.score < self.threshold

    @cached_property
    def overdue(self) -> list[ItemStatus]:
        return [status for status in self.items if not status.met]

    @cached_property
    def expiring(self) -> list[ItemStatus]:
        return [status for status in self.items if status.met and status.expiring]

    @cached_property
    def awaiting_verification(self) -> int:
        return sum(status.state == State.ATTESTED for status in self.items)


def current_checklist(district: District) -> CurrentChecklist:
    checklist = Checklist.objects.filter(district=district).order_by("-version").first()
    if checklist is None:
        return CurrentChecklist(Checklist(district=district, version=0), default_items())
    return CurrentChecklist(checklist, list(checklist.items.all()))


def readiness_of(
    schools: QuerySet[School], district: District, today: date, *, with_evidence: bool = True
) -> list[SchoolReadiness]:
    """Every school's items and figures, in the queryset's order. Without
    `with_evidence` the items carry their state but not the evidence row
    (who attested, the note, the file): what dashboards and reports need,
    and then schools in the same state share their item states."""
    checklist = current_checklist(district)
    year_start = school_year_start(today, checklist.starts_month)
    school_list = _with_areas(schools)
    ids = schools.values("pk")
    proofs = _current_proofs(ids, today, with_evidence)
    training = training_by_school(
        ids, checklist.checklist.protocol_course, year_start, school_ids=[school.pk for school in school_list]
    )
    partner_kinds = _partner_kinds(ids)
    drills = sources.drills_since(schools, year_start)
    cases = sources.family_case_counts(schools, today)
    campus = sources.campus_is_ready()
    incidents = sources.incident_counts(schools, today)
    requests = sources.records_request_counts(schools, today)
    target = checklist.checklist.all_staff_target_percent
    threshold = checklist.checklist.threshold_percent
    shared: dict[tuple[str, str, bool], ItemStatus] = {}
    no_cases = sources.CaseCounts()
    result = []
    for school in school_list:
        school_training = training.get(school.pk, Training())
        school_drills = drills.get(school.pk, 0)
        recorded = _recorded_sources(school_training, school_drills, partner_kinds.get(school.pk, ()), target)
        items = []
        for item in checklist.items:
            proof = proofs.get((school.pk, item.key))
            state, expiring = _state(item, proof, recorded)
            if with_evidence:
                evidence = proof.evidence if proof is not None and state != State.MISSING else None
                items.append(ItemStatus(item, state, evidence, expiring))
                continue
            status = shared.get((item.key, state, expiring))
            if status is None:
                status = shared[(item.key, state, expiring)] = ItemStatus(item, state, None, expiring)
            items.append(status)
        result.append(
            SchoolReadiness(
                school=school,
                items=items,
                training=school_training,
                threshold=threshold,
                drills=school_drills,
                cases=cases.get(school.pk, no_cases),
                incidents=incidents.get(school.pk, no_cases) if campus else None,
                records_requests=requests.get(school.pk, no_cases) if campus else None,
            )
        )
    return result


def _with_areas(schools: QuerySet[School]) -> list[School]:
    """The schools, each with its area, building one area object per area
    rather than one per school: a district has a few dozen areas and may
    have a thousand schools."""
    school_list = list(schools.select_related(None))
    areas = Area.objects.in_bulk({school.area_id for school in school_list})
    set_area = School.area.field.set_cached_value
    for school in school_list:
        set_area(school, areas[school.area_id])
    return school_list


class _Proof(NamedTuple):
    """What the state of an item needs from its current evidence."""

    expired: bool
    verified: bool
    expiring: bool  # expires within EXPIRING_DAYS
    evidence: Evidence | None = None  # the whole row, when it was asked for


# The eight proofs a dashboard can meet, by the number the database works out
# for each evidence row: 4 when expired, plus 2 when expiring, plus 1 when verified.
_PROOFS = {code: _Proof(bool(code & 4), bool(code & 1), bool(code & 2)) for code in range(8)}


def _state(item: ChecklistItem, proof: _Proof | None, recorded: set[str]) -> tuple[str, bool]:
    """The item's state, and whether its evidence expires soon."""
    if item.source in recorded:
        return State.RECORDED, False
    if not item.is_attested or proof is None:
        return State.MISSING, False
    if proof.expired:
        return State.EXPIRED, False
    return (State.VERIFIED if proof.verified else State.ATTESTED), proof.expiring


def _recorded_sources(training: Training, drills: int, partner_kinds: Iterable[str], target: int) -> set[str]:
    """The sources whose records meet their items at a school."""
    met: set[str] = set()
    total, trained = training.front_office
    if total > 0 and trained >= total:
        met.add(Source.FRONT_OFFICE_TRAINING)
    if training.staff > 0 and 100 * training.trained >= target * training.staff:
        met.add(Source.ALL_STAFF_TRAINING)
    if drills > 0:
        met.add(Source.DRILL)
    if {"legal_aid", "rapid_response"} <= set(partner_kinds):
        met.add(Source.PARTNERS)
    return met


def _current_proofs(ids: QuerySet[School, Any], today: date, with_evidence: bool) -> dict[tuple[int, str], _Proof]:
    soon = today + timedelta(days=EXPIRING_DAYS)
    current = Evidence.objects.filter(school_id__in=ids, superseded=False)
    if with_evidence:
        return {
            (row.school_id, row.item_key): _Proof(
                row.expires_on is not None and row.expires_on < today,
                row.verified_at is not None,
                row.expires_on is not None and row.expires_on <= soon,
                row,
            )
            for row in current.select_related("attested_by", "verified_by")
        }
    # The database reduces each row to a number: no date or boolean to
    # convert for each of thousands of rows.
    code = (
        Case(When(expires_on__lt=today, then=Value(4)), default=Value(0))
        + Case(When(expires_on__lte=soon, then=Value(2)), default=Value(0))
        + Case(When(verified_at__isnull=False, then=Value(1)), default=Value(0))
    )
    rows = current.order_by().annotate(code=code).values_list("school_id", "item_key", "code")
    return {(school_id, key): _PROOFS[code] for school_id, key, code in rows}


TRAINING_VERSION_KEY = "readiness:training-version"
TRAINING_SECONDS = 24 * 60 * 60


def training_changed(district: District | None = None) -> None:
    """Call once staff or training rows changed and the change committed:
    the figures kept in the cache are set aside. Given the district, the
    figures for its current checklist are counted again at once and kept,
    so the first dashboard after an import does not wait for the count."""
    try:
        cache.incr(TRAINING_VERSION_KEY)
    except ValueError:  # not set (or evicted): a fresh number no kept entry uses
        cache.set(TRAINING_VERSION_KEY, _training_version() + 1, None)
    if district is not None and not connection.in_atomic_block:
        checklist = current_checklist(district)
        since = school_year_start(district_today(district), checklist.starts_month)
        _kept_training(checklist.checklist.protocol_course, since)


def _training_version() -> int:
    version = cache.get_or_set(TRAINING_VERSION_KEY, 1, None)
    return int(version) if version is not None else 1


def training_by_school(
    ids: QuerySet[School, Any], course: str, since: date, *, school_ids: Iterable[int] | None = None
) -> dict[int, Training]:
    """Staff and staff trained this school year, per school and role.

    Counting means looking at every member of staff (sixty thousand in a
    large district), and the rows change only when training is imported, so
    the figures of every school are kept in the cache under a version that
    an import moves on (`training_changed`); any set of schools picks its
    own from them. Inside a transaction the figures are always counted: it
    may hold changes the kept figures do not have, or that never commit.
    Give `school_ids` when the caller has them already, to spare a query."""
    if connection.in_atomic_block:
        return _count_training(StaffMember.objects.filter(school_id__in=ids), course, since)
    kept = _kept_training(course, since)
    wanted = school_ids if school_ids is not None else ids.values_list("pk", flat=True)
    return {school_id: kept[school_id] for school_id in wanted if school_id in kept}


def _kept_training(course: str, since: date) -> dict[int, Training]:
    digest = hashlib.sha256(course.casefold().encode()).hexdigest()[:32]
    key = f"readiness:training:{_training_version()}:{digest}:{since.isoformat()}"
    kept = cache.get(key)
    if kept is not None:
        return {
            school_id: Training(staff, trained, {role: (total, done) for role, total, done in roles})
            for school_id, staff, trained, roles in kept
        }
    result = _count_training(StaffMember.objects.all(), course, since)
    rows = [
        (school_id, entry.staff, entry.trained, [(role, *counts) for role, counts in entry.by_role.items()])
        for school_id, entry in result.items()
    ]
    cache.set(key, rows, TRAINING_SECONDS)
    return result


def _count_training(staff: QuerySet[StaffMember, Any], course: str, since: date) -> dict[int, Training]:
    # One pass over the staff; the trained ones are looked up in a set the
    # database builds once from this school year's completions.
    trained = TrainingCompletion.objects.filter(course__iexact=course, completed_on__gte=since).values("staff_id")
    rows = (
        staff.values_list("school_id", "role")
        .annotate(total=Count("pk"), trained=Count("pk", filter=Q(pk__in=trained)))
        .order_by()
    )
    result: dict[int, Training] = defaultdict(Training)
    for school_id, role, total, done in rows:
        training = result[school_id]
        training.staff += total
        training.trained += done
        training.by_role[role] = (total, done)
    return dict(result)


def _partner_kinds(ids: QuerySet[School, Any]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = defaultdict(set)
    for school_id, kind in Partner.objects.filter(school_id__in=ids).values_list("school_id", "resource__kind"):
        result[school_id].add(kind)
    return dict(result)


def partners_of(school: School) -> QuerySet[Partner]:
    return Partner.objects.filter(school=school).select_related("resource").order_by("resource__kind", "resource__name")


# --- Figures for the dashboards ---------------------------------------------------

BUCKETS = tuple(range(0, 100, 10))  # 0-9, 10-19, ... 90-100


def distribution(readiness: list[SchoolReadiness]) -> list[tuple[str, int]]:
    """How many schools score in each band of ten points."""
    counts = dict.fromkeys(BUCKETS, 0)
    for school in readiness:
        counts[min(90, school.score // 10 * 10)] += 1
    return [(f"{low}-{low + 9 if low < 90 else 100}", counts[low]) for low in BUCKETS]


TREND_SECONDS = 24 * 60 * 60


def score_trend(
    schools: QuerySet[School], since: date, school_ids: Iterable[int] | None = None
) -> list[tuple[date, int]]:
    """The average score of the schools on each day a score was taken.

    Averaging every school's every day reads a row per school per day (over
    a hundred thousand for a large district by spring), so the result is
    kept in the cache under the schools, the first day and the newest
    snapshot's id: snapshots are only ever added (a day's are replaced by
    new rows), so a new one changes the key and the next read counts again.
    Give `school_ids` when the caller has them already, to spare a query."""
    ids = sorted(school_ids if school_ids is not None else schools.values_list("pk", flat=True))
    newest = ScoreSnapshot.objects.aggregate(newest=Max("pk"))["newest"] or 0
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    key = f"readiness:trend:{digest}:{since.isoformat()}:{newest}"
    cached = cache.get(key)
    if cached is not None:
        return [(date.fromisoformat(day), average) for day, average in cached]
    rows = (
        ScoreSnapshot.objects.filter(school_id__in=ids, on__gte=since)
        .values("on")
        .annotate(average=Avg("score"))
        .order_by("on")
    )
    trend = [(row["on"], round(row["average"])) for row in rows]
    cache.set(key, [(day.isoformat(), average) for day, average in trend], TREND_SECONDS)
    return trend
