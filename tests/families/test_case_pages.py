"""Staff reading and answering family cases, each through their own key."""

import json
from collections.abc import Mapping

import pytest
from django.test import Client

from safezones.accounts.devices import current_code
from safezones.audit.models import AuditEvent
from safezones.families.models import FamilyCase
from tests.conftest import PASSWORD, confirmed_totp

REPORT = {"school": "SA", "language": "es", "kind": "info_shared", "description": "Dieron nuestra dirección"}
REQUEST = {"school": "SA", "language": "es", "needs": ["legal_help"], "message": "Necesitamos un abogado"}


def _file(path: str, body: Mapping[str, object]) -> str:
    response = Client().post(f"/api/v1/family/{path}", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    return str(response.json()["receipt"])


def _signed_in(user) -> Client:
    """Through the real sign-in, so the person's key is unlocked for the session."""
    client = Client()
    device = confirmed_totp(user)
    client.post("/accounts/sign-in/", {"email": user.email, "password": PASSWORD})
    client.post("/accounts/verify/", {"code": current_code(device)})
    return client


def _lookup(receipt: str) -> dict[str, object]:
    response = Client().post(
        "/api/v1/family/cases/lookup", json.dumps({"receipt": receipt}), content_type="application/json"
    )
    return dict(response.json())


def test_the_area_office_reads_a_report_and_the_family_reads_the_reply(cast):
    receipt = _file("reports", REPORT)
    case = FamilyCase.objects.get()
    office = _signed_in(cast.area_1_office)
    assert [c.pk for c in office.get("/staff/cases/").context["cases"]] == [case.pk]
    page = office.get(f"/staff/cases/{case.pk}/")
    assert "Dieron nuestra dirección" in page.content.decode()
    assert AuditEvent.objects.filter(action="family_case.read", actor=cast.area_1_office.email).exists()
    office.post(f"/staff/cases/{case.pk}/message/", {"text": "Lo estamos revisando."})
    office.post(f"/staff/cases/{case.pk}/message/", {"text": "nota interna secreta", "internal": "on"})
    office.post(f"/staff/cases/{case.pk}/status/", {"status": "in_progress"})
    seen = _lookup(receipt)
    assert seen["status"] == "in_progress"
    texts = [message["text"] for message in seen["messages"]]  # type: ignore[attr-defined]
    assert texts == ["Dieron nuestra dirección", "Lo estamos revisando."]


def test_the_school_a_report_is_about_cannot_see_it(cast):
    _file("reports", REPORT)
    case = FamilyCase.objects.get()
    admin = _signed_in(cast.admin_a)
    assert list(admin.get("/staff/cases/").context["cases"]) == []
    assert admin.get(f"/staff/cases/{case.pk}/").status_code == 404


def test_the_school_office_reads_a_request_to_it(cast):
    _file("requests", REQUEST)
    case = FamilyCase.objects.get()
    page = _signed_in(cast.admin_a).get(f"/staff/cases/{case.pk}/")
    assert "Necesitamos un abogado" in page.content.decode()


@pytest.mark.parametrize("who", ["area_2_office", "staff_b", "admin_a"])
def test_it_validates_ownership(cast, who):
    _file("reports", REPORT)
    case = FamilyCase.objects.get()
    client = _signed_in(getattr(cast, who))
    for response in (
        client.get(f"/staff/cases/{case.pk}/"),
        client.post(f"/staff/cases/{case.pk}/message/", {"text": "x"}),
        client.post(f"/staff/cases/{case.pk}/status/", {"status": "closed", "closed_reason": "done"}),
        client.post(f"/staff/cases/{case.pk}/assign/", {"assignee": ""}),
    ):
        assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.status == "received"
    assert not case.messages.exists()


@pytest.mark.parametrize("role", ["site_staff", "legal_office", "procurement", "board_member", "system_admin"])
def test_roles_without_family_cases_are_refused(cast, as_user, role):
    assert as_user(cast.by_role()[role]).get("/staff/cases/").status_code == 403


def test_without_the_unlocked_key_the_case_stays_closed(cast, as_user):
    _file("reports", REPORT)
    case = FamilyCase.objects.get()
    page = as_user(cast.area_1_office).get(f"/staff/cases/{case.pk}/")  # signed in without the key cookie
    assert page.status_code == 200
    assert "Dieron nuestra dirección" not in page.content.decode()
    assert page.context["locked"]


def test_the_district_office_reads_every_case(cast):
    _file("reports", REPORT)
    _file("requests", {**REQUEST, "school": "SB"})
    district = _signed_in(cast.district_office)
    assert len(district.get("/staff/cases/").context["cases"]) == 2


def test_closing_needs_a_reason(cast):
    _file("requests", REQUEST)
    case = FamilyCase.objects.get()
    admin = _signed_in(cast.admin_a)
    admin.post(f"/staff/cases/{case.pk}/status/", {"status": "closed"})
    case.refresh_from_db()
    assert case.status == "received"
    admin.post(f"/staff/cases/{case.pk}/status/", {"status": "closed", "closed_reason": "done"})
    case.refresh_from_db()
    assert (case.status, case.closed_reason) == ("closed", "done")


def test_a_case_is_assigned_only_to_someone_who_may_read_it(cast):
    from tests.conftest import make_user

    colleague = make_user("omar@a.test", "site_admin", school=cast.school_a)
    _file("requests", REQUEST)
    case = FamilyCase.objects.get()
    admin = _signed_in(cast.admin_a)
    admin.post(f"/staff/cases/{case.pk}/assign/", {"assignee": cast.staff_b.pk})
    case.refresh_from_db()
    assert case.assigned_to is None
    admin.post(f"/staff/cases/{case.pk}/assign/", {"assignee": colleague.pk})
    case.refresh_from_db()
    assert case.assigned_to == colleague
