from safezones.demo import load_demo
from safezones.readiness.checklist import district_today
from safezones.readiness.models import ScoreSnapshot
from safezones.readiness.queries import readiness_of
from safezones.schools.models import District, School


def test_the_demo_district_has_schools_at_different_levels(db, client):
    load_demo()
    district = District.objects.get()
    rows = readiness_of(School.objects.all(), district, district_today(district))
    scores = {row.school.code: row.score for row in rows}
    assert len(set(scores.values())) >= 6
    assert min(scores.values()) < 50 < max(scores.values())
    assert any(row.below_threshold for row in rows)
    assert any(not row.below_threshold for row in rows)
    assert ScoreSnapshot.objects.filter(school__code="N101").count() >= 1
    assert client.get("/schools/N101/").status_code == 200
    assert client.get("/schools/N101/", headers={"accept-language": "es"}).status_code == 200
