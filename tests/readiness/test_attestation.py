from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safezones.audit.models import AuditEvent
from safezones.readiness.actions import NotAttestableError, attest_item
from safezones.readiness.checklist import district_today
from safezones.readiness.models import Evidence, ScoreSnapshot
from safezones.readiness.queries import State, readiness_of
from safezones.schools.models import School


def _today(cast):
    return district_today(cast.district)


def _state(cast, school, key):
    rows = readiness_of(School.objects.filter(pk=school.pk), cast.district, _today(cast))
    return next(status for status in rows[0].items if status.item.key == key)


def test_the_site_administrator_attests_an_item_with_evidence(cast, as_user):
    client = as_user(cast.admin_a)
    upload = SimpleUploadedFile("signs photo.png", b"\x89PNG fake", content_type="image/png")
    response = client.post(
        "/staff/readiness/schools/SA/attest/",
        {"item": "non-public-signs", "on": _today(cast).isoformat(), "note": "Signs at both gates", "file": upload},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.school, evidence.item_key, evidence.attested_by) == (
        cast.school_a,
        "non-public-signs",
        cast.admin_a,
    )
    assert "signs photo" not in (evidence.file.name or "")
    assert _state(cast, cast.school_a, "non-public-signs").state == State.ATTESTED
    event = AuditEvent.objects.get(action="readiness.attest")
    assert (event.role, event.school_code) == ("site_admin", "SA")
    assert ScoreSnapshot.objects.filter(school=cast.school_a).exists()
    download = as_user(cast.staff_a).get("/staff/readiness/schools/SA/file/?item=non-public-signs")
    assert download.status_code == 200
    assert download.content == b"\x89PNG fake"
    assert as_user(cast.staff_b).get("/staff/readiness/schools/SA/file/?item=non-public-signs").status_code == 404


def test_a_date_in_the_future_is_refused_and_nothing_is_saved(cast, as_user):
    tomorrow = _today(cast) + timedelta(days=1)
    response = as_user(cast.admin_a).post(
        "/staff/readiness/schools/SA/attest/", {"item": "printed-protocol", "on": tomorrow.isoformat()}, follow=True
    )
    assert b"The date cannot be in the future." in response.content
    assert not Evidence.objects.exists()


def test_the_area_office_verifies_and_another_area_cannot(cast, as_user):
    attest_item(cast.admin_a, "site_admin", cast.school_a, "printed-protocol", on=_today(cast))
    assert (
        as_user(cast.area_2_office)
        .post("/staff/readiness/schools/SA/verify/", {"item": "printed-protocol"})
        .status_code
        == 404
    )
    assert (
        as_user(cast.admin_a).post("/staff/readiness/schools/SA/verify/", {"item": "printed-protocol"}).status_code
        == 403
    )
    assert Evidence.objects.get().verified_at is None
    response = as_user(cast.area_1_office).post("/staff/readiness/schools/SA/verify/", {"item": "printed-protocol"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.verified_by == cast.area_1_office
    assert _state(cast, cast.school_a, "printed-protocol").state == State.VERIFIED
    assert AuditEvent.objects.filter(action="readiness.verify", role="area_office", school_code="SA").count() == 1


def test_it_validates_ownership(cast, as_user):
    """Another area's school answers 404 to every readiness page and action."""
    client = as_user(cast.admin_a)
    assert client.get("/staff/readiness/schools/SB/").status_code == 404
    response = client.post(
        "/staff/readiness/schools/SB/attest/", {"item": "printed-protocol", "on": _today(cast).isoformat()}
    )
    assert response.status_code == 404
    assert as_user(cast.area_1_office).get("/staff/readiness/schools/SB/").status_code == 404
    assert as_user(cast.area_1_office).get("/staff/readiness/areas/A2/").status_code == 404
    assert not Evidence.objects.exists()


def test_site_staff_can_read_but_not_attest(cast, as_user):
    client = as_user(cast.staff_a)
    assert client.get("/staff/readiness/schools/SA/").status_code == 200
    response = client.post(
        "/staff/readiness/schools/SA/attest/", {"item": "printed-protocol", "on": _today(cast).isoformat()}
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_a_newer_attestation_replaces_the_older_one(cast):
    first = attest_item(
        cast.admin_a, "site_admin", cast.school_a, "call-down-list", on=_today(cast) - timedelta(days=100)
    )
    assert _state(cast, cast.school_a, "call-down-list").state == State.EXPIRED
    second = attest_item(
        cast.admin_a, "site_admin", cast.school_a, "call-down-list", on=_today(cast) - timedelta(days=70)
    )
    first.refresh_from_db()
    assert first.superseded
    assert not second.superseded
    status = _state(cast, cast.school_a, "call-down-list")
    assert (status.state, status.expiring, status.evidence) == (State.ATTESTED, True, second)


def test_items_answered_by_records_cannot_be_attested(cast):
    with pytest.raises(NotAttestableError):
        attest_item(cast.admin_a, "site_admin", cast.school_a, "front-office-trained", on=_today(cast))


def test_partners_answer_their_item(cast, as_user):
    from safezones.families.models import Resource

    today = _today(cast)
    legal = Resource.objects.create(kind="legal_aid", name="Clinic", last_verified=today)
    rapid = Resource.objects.create(kind="rapid_response", name="Hotline", last_verified=today)
    client = as_user(cast.admin_a)
    client.post("/staff/readiness/schools/SA/partners/", {"resource": legal.pk})
    assert _state(cast, cast.school_a, "partners").state == State.MISSING
    client.post("/staff/readiness/schools/SA/partners/", {"resource": rapid.pk})
    assert _state(cast, cast.school_a, "partners").state == State.RECORDED
    client.post("/staff/readiness/schools/SA/partners/", {"resource": rapid.pk, "remove": "on"})
    assert _state(cast, cast.school_a, "partners").state == State.MISSING
    assert AuditEvent.objects.filter(action__startswith="readiness.partner.", school_code="SA").count() == 3


def test_the_school_page_shows_each_item_and_who_attested(cast, as_user):
    attest_item(
        cast.admin_a, "site_admin", cast.school_a, "printed-protocol", on=_today(cast), note="At the front desk"
    )
    page = as_user(cast.staff_a).get("/staff/readiness/schools/SA/").content.decode()
    assert "A printed protocol at the front office" in page
    assert "At the front desk" in page
    assert "ana" in page
    assert 'action="/staff/readiness/schools/SA/attest/"' not in page  # site staff cannot attest
    admin_page = as_user(cast.admin_a).get("/staff/readiness/schools/SA/").content.decode()
    assert 'action="/staff/readiness/schools/SA/attest/"' in admin_page
