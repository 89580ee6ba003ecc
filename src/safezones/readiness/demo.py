"""Readiness for the fictional demo district: schools at different levels,
training records, partners, and a few weeks of scores for the trend. Every
employee id here is invented."""

from datetime import date, timedelta

from django.db import transaction

from safezones.accounts.models import User
from safezones.families.models import Resource
from safezones.readiness.actions import add_partner, attest_item, import_training, take_snapshots, verify_item
from safezones.readiness.checklist import district_today, school_year_start
from safezones.readiness.models import ScoreSnapshot
from safezones.readiness.queries import current_checklist
from safezones.readiness.training import TrainingRow
from safezones.schools.models import District, School

# The share of the checklist each demo school has in place, in school-code order.
LEVELS = (0.95, 0.85, 0.7, 0.5, 1.0, 0.6, 0.35, 0.8, 0.9, 0.4, 0.2, 0.75)
STAFF_PER_SCHOOL = 24
FRONT_OFFICE = 3
ROLE = "demo"


def load_demo_readiness(district: District) -> None:
    today = district_today(district)
    checklist = current_checklist(district)
    since = school_year_start(today, checklist.starts_month)
    area_office = User.objects.filter(email="area@demo.safezones.test").first()
    principal = User.objects.filter(email="principal@demo.safezones.test").first()
    attestable = [item.key for item in checklist.items if item.is_attested]
    partners = list(Resource.objects.filter(kind__in=[Resource.Kind.LEGAL_AID, Resource.Kind.RAPID_RESPONSE]))
    schools = list(School.objects.select_related("area").order_by("code"))
    with transaction.atomic():
        import_training(
            None, ROLE, district, _training_rows(schools, today, since, checklist.checklist.protocol_course)
        )
        for school, level in zip(schools, LEVELS, strict=False):
            attester = principal if school.code == "N101" else None
            for index, key in enumerate(attestable[: round(level * len(attestable))]):
                on = max(since, today - timedelta(days=5 + 7 * index))
                attest_item(attester, ROLE, school, key, on=on, note="Demo evidence (invented)")
                if school.area.code == "NORTH" and index % 2 == 0:
                    verify_item(area_office, ROLE, school, key)
            if level >= 0.5:
                for resource in partners:
                    add_partner(None, ROLE, school, resource)
        take_snapshots(School.objects.all(), district, today)
        _history(schools, today, since)


def _training_rows(schools: list[School], today: date, since: date, course: str) -> list[TrainingRow]:
    rows = []
    for number, (school, level) in enumerate(zip(schools, LEVELS, strict=False)):
        trained = round(level * STAFF_PER_SCHOOL)
        for person in range(trained):
            role = "front_office" if person < FRONT_OFFICE else "teacher"
            completed = max(since, today - timedelta(days=3 + person))
            rows.append(TrainingRow(0, f"DEMO-{number:02d}{person:03d}", school.code, course, completed, role))
    return rows


def _history(schools: list[School], today: date, since: date) -> None:
    """Weekly scores climbing towards today's, so the trend has a shape."""
    current = {snapshot.school_id: snapshot.score for snapshot in ScoreSnapshot.objects.filter(on=today)}
    weeks = min(10, (today - since).days // 7)
    history = [
        ScoreSnapshot(school=school, on=today - timedelta(weeks=week), score=max(0, current[school.pk] - 6 * week))
        for school in schools
        for week in range(1, weeks + 1)
        if school.pk in current
    ]
    ScoreSnapshot.objects.bulk_create(history)
