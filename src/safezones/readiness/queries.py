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
from django.db.models import Avg, BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet

from safezones.readiness import sources
from safezones.readiness.checklist import default_items, school_year_start
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
from safezones.schools.models import District, School

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


@dataclass
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
    (who attested, the note, the file): what dashboards and reports need."""
    checklist = current_checklist(district)
    year_start = school_year_start(today, checklist.starts_month)
    school_list = list(schools)
    ids = schools.values("pk")
    proofs = _current_proofs(ids, with_evidence)
    training = training_by_school(ids, checklist.checklist.protocol_course, year_start)
    partner_kinds = _partner_kinds(ids)
    drills = sources.drills_since(schools, year_start)
    cases = sources.family_case_counts(schools, today)
    campus = sources.campus_is_ready()
    incidents = sources.incident_counts(schools, today)
    requests = sources.records_request_counts(schools, today)
    result = []
    for school in school_list:
        school_training = training.get(school.pk, Training())
        context = _Facts(school_training, drills.get(school.pk, 0), partner_kinds.get(school.pk, set()))
        items = [
            _status(item, proofs.get((school.pk, item.key)), context, checklist.checklist, today)
            for item in checklist.items
        ]
        result.append(
            SchoolReadiness(
                school=school,
                items=items,
                training=school_training,
                threshold=checklist.checklist.threshold_percent,
                drills=context.drills,
                cases=cases.get(school.pk, sources.CaseCounts()),
                incidents=incidents.get(school.pk, sources.CaseCounts()) if campus else None,
                records_requests=requests.get(school.pk, sources.CaseCounts()) if campus else None,
            )
        )
    return result


@dataclass(frozen=True)
class _Facts:
    training: Training
    drills: int
    partner_kinds: set[str]


class _Proof(NamedTuple):
    """What the state of an item needs from its current evidence."""

    expires_on: date | None
    verified: bool
    evidence: Evidence | None = None  # the whole row, when it was asked for


def _status(item: ChecklistItem, proof: _Proof | None, facts: _Facts, checklist: Checklist, today: date) -> ItemStatus:
    evidence = proof.evidence if proof is not None else None
    recorded = _met_by_records(item, facts, checklist.all_staff_target_percent)
    if recorded:
        return ItemStatus(item, State.RECORDED, evidence)
    if not item.is_attested or proof is None:
        return ItemStatus(item, State.MISSING)
    if proof.expires_on is not None and proof.expires_on < today:
        return ItemStatus(item, State.EXPIRED, evidence)
    expiring = proof.expires_on is not None and proof.expires_on <= today + timedelta(days=EXPIRING_DAYS)
    state = State.VERIFIED if proof.verified else State.ATTESTED
    return ItemStatus(item, state, evidence, expiring=expiring)


def _met_by_records(item: ChecklistItem, facts: _Facts, target: int) -> bool:
    if item.source == Source.FRONT_OFFICE_TRAINING:
        total, trained = facts.training.front_office
        return total > 0 and trained >= total
    if item.source == Source.ALL_STAFF_TRAINING:
        return facts.training.staff > 0 and 100 * facts.training.trained >= target * facts.training.staff
    if item.source == Source.DRILL:
        return facts.drills > 0
    if item.source == Source.PARTNERS:
        return {"legal_aid", "rapid_response"} <= facts.partner_kinds
    return False


def _current_proofs(ids: QuerySet[School, Any], with_evidence: bool) -> dict[tuple[int, str], _Proof]:
    if with_evidence:
        full = Evidence.objects.filter(school_id__in=ids, superseded=False).select_related("attested_by", "verified_by")
        return {(row.school_id, row.item_key): _Proof(row.expires_on, row.verified_at is not None, row) for row in full}
    # Whether it was verified, not when: no timestamp to parse for each of
    # thousands of rows.
    verified = ExpressionWrapper(Q(verified_at__isnull=False), output_field=BooleanField())
    rows = (
        Evidence.objects.filter(school_id__in=ids, superseded=False)
        .order_by()
        .annotate(verified=verified)
        .values_list("school_id", "item_key", "expires_on", "verified")
    )
    return {(school_id, key): _Proof(expires, verified) for school_id, key, expires, verified in rows}


def training_by_school(ids: QuerySet[School, Any], course: str, since: date) -> dict[int, Training]:
    """Staff and staff trained this school year, per school and role."""
    completed = TrainingCompletion.objects.filter(staff=OuterRef("pk"), course__iexact=course, completed_on__gte=since)
    rows = (
        StaffMember.objects.filter(school_id__in=ids)
        .values("school_id", "role")
        .annotate(total=Count("pk"), trained=Count("pk", filter=Q(Exists(completed))))
        .order_by()
    )
    result: dict[int, Training] = defaultdict(Training)
    for row in rows:
        training = result[row["school_id"]]
        training.staff += row["total"]
        training.trained += row["trained"]
        training.by_role[row["role"]] = (row["total"], row["trained"])
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
