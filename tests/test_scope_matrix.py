"""Every page and endpoint this far, for every role, inside and outside scope.

The cast (tests/conftest.py): School A and A2 in Area 1, School B in Area 2.
Expected answers: 200 allowed, 403 the role may not do this at all or may only
read, 404 the object is outside the person's scope (its existence is hidden).
"""

import json
import re

import pytest
from django.urls import get_resolver

ROLES = [
    "site_staff",
    "site_admin",
    "area_office",
    "district_office",
    "legal_office",
    "procurement",
    "board_member",
    "system_admin",
]

# (method, path, expected status per role, in the order of ROLES)
MATRIX = [
    ("GET", "/staff/", [200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET", "/staff/schools/", [200, 200, 200, 200, 200, 403, 403, 403]),
    ("GET", "/staff/schools/SA/", [200, 200, 200, 200, 200, 404, 404, 404]),
    ("GET", "/staff/schools/SB/", [404, 404, 404, 200, 200, 404, 404, 404]),
    ("GET", "/staff/schools/SA/edit/", [403, 200, 200, 200, 403, 404, 404, 404]),
    ("GET", "/staff/schools/SB/edit/", [404, 404, 404, 200, 403, 404, 404, 404]),
    ("GET", "/staff/areas/A1/", [404, 404, 200, 200, 200, 404, 404, 404]),
    ("GET", "/staff/areas/A2/", [404, 404, 404, 200, 200, 404, 404, 404]),
    ("GET", "/staff/overview/", [403, 403, 200, 200, 200, 403, 200, 403]),
    ("GET", "/staff/people/", [403, 403, 403, 403, 403, 403, 403, 200]),
    ("GET", "/staff/people/new/", [403, 403, 403, 403, 403, 403, 403, 200]),
    ("GET", "/staff/cases/", [403, 200, 200, 200, 403, 403, 403, 403]),
    # The resource directory: the offices that answer families read it; only
    # the district office changes it. The cast has no entry 1, so the district
    # office's answer there is 404; everyone else is refused before the look-up.
    ("GET", "/staff/resources/", [403, 200, 200, 200, 403, 403, 403, 403]),
    ("GET", "/staff/resources/new/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("POST", "/staff/resources/new/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/resources/import/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("POST", "/staff/resources/import/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/resources/1/", [403, 403, 403, 404, 403, 403, 403, 403]),
    ("POST", "/staff/resources/1/verify/", [403, 403, 403, 404, 403, 403, 403, 403]),
    ("POST", "/staff/resources/1/remove/", [403, 403, 403, 404, 403, 403, 403, 403]),
    ("GET", "/api/v1/me", [200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET", "/api/v1/schools", [200, 200, 200, 200, 200, 403, 403, 403]),
    ("GET", "/api/v1/schools/SA", [200, 200, 200, 200, 200, 404, 404, 404]),
    ("GET", "/api/v1/schools/SB", [404, 404, 404, 200, 200, 404, 404, 404]),
    ("PATCH", "/api/v1/schools/SA", [403, 200, 200, 200, 403, 404, 404, 404]),
    ("PATCH", "/api/v1/schools/SB", [404, 404, 404, 200, 403, 404, 404, 404]),
    ("POST", "/api/v1/documents/check", [200, 200, 200, 200, 200, 403, 403, 403]),
    ("GET", "/staff/incidents/", [200, 200, 200, 200, 200, 403, 403, 403]),
    ("POST", "/staff/incidents/start/", [302, 302, 302, 302, 403, 403, 403, 403]),
    ("GET", "/staff/protocol/", [200, 200, 200, 200, 200, 403, 403, 403]),
    ("GET", "/staff/protocol/edit/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/notices/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/notices/published.csv", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/records/", [200, 200, 200, 200, 200, 403, 403, 403]),
    ("GET", "/staff/board-report/", [403, 403, 200, 200, 200, 403, 200, 403]),
    ("GET", "/staff/schools/SA/call-down/", [200, 200, 200, 200, 200, 404, 404, 404]),
    ("GET", "/staff/schools/SB/call-down/", [404, 404, 404, 200, 200, 404, 404, 404]),
    ("POST", "/staff/schools/SA/call-down/verify/", [403, 302, 302, 302, 403, 404, 404, 404]),
    ("POST", "/staff/schools/SB/call-down/verify/", [404, 404, 404, 302, 403, 404, 404, 404]),
    ("GET", "/staff/readiness/", [403, 403, 200, 200, 200, 403, 200, 403]),
    ("GET", "/staff/readiness/export.csv", [403, 403, 200, 200, 200, 403, 200, 403]),
    ("GET", "/staff/readiness/report/", [403, 403, 200, 200, 200, 403, 200, 403]),
    ("GET", "/staff/readiness/training/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/readiness/checklist/", [403, 403, 403, 200, 403, 403, 403, 403]),
    ("GET", "/staff/readiness/areas/A1/", [403, 403, 200, 200, 200, 403, 404, 403]),
    ("GET", "/staff/readiness/areas/A2/", [403, 403, 404, 200, 200, 403, 404, 403]),
    ("GET", "/staff/readiness/schools/SA/", [200, 200, 200, 200, 200, 404, 404, 404]),
    ("GET", "/staff/readiness/schools/SB/", [404, 404, 404, 200, 200, 404, 404, 404]),
    ("GET", "/staff/readiness/schools/SB/file/", [404, 404, 404, 404, 404, 404, 404, 404]),
    ("POST", "/staff/readiness/schools/SA/attest/", [403, 302, 403, 403, 403, 404, 404, 404]),
    ("POST", "/staff/readiness/schools/SB/attest/", [404, 404, 404, 403, 403, 404, 404, 404]),
    ("POST", "/staff/readiness/schools/SA/verify/", [403, 403, 302, 302, 403, 404, 404, 404]),
    ("POST", "/staff/readiness/schools/SB/verify/", [404, 404, 404, 302, 403, 404, 404, 404]),
    ("POST", "/staff/readiness/schools/SA/partners/", [403, 302, 403, 403, 403, 404, 404, 404]),
    ("POST", "/staff/readiness/schools/SB/partners/", [404, 404, 404, 403, 403, 404, 404, 404]),
    ("GET", "/staff/vendors/", [403, 403, 403, 200, 200, 200, 403, 403]),
    ("GET", "/staff/vendors/import/", [403, 403, 403, 403, 403, 200, 403, 403]),
    ("GET", "/staff/vendors/awards/upload/", [403, 403, 403, 403, 403, 200, 403, 403]),
    ("GET", "/staff/vendors/evidence/upload/", [403, 403, 403, 403, 403, 200, 403, 403]),
    ("POST", "/staff/vendors/screen/", [403, 403, 403, 403, 403, 302, 403, 403]),
    ("GET", "/staff/vendors/findings/", [403, 403, 403, 200, 200, 200, 403, 403]),
    ("GET", "/staff/vendors/findings.ftm.jsonl", [403, 403, 403, 200, 200, 200, 403, 403]),
    ("GET", "/staff/vendors/report/", [403, 403, 403, 200, 200, 200, 200, 403]),
    ("GET", "/staff/vendors/report.csv", [403, 403, 403, 200, 200, 200, 200, 403]),
    ("GET", "/staff/vendors/report.pdf", [403, 403, 403, 200, 200, 200, 200, 403]),
    ("GET", "/api/v1/vendors/findings", [403, 403, 403, 200, 200, 200, 403, 403]),
]

CASES = [(method, path, role, codes[i]) for method, path, codes in MATRIX for i, role in enumerate(ROLES)]


def _request(client, method, path):
    if method == "POST":
        body = json.dumps({"text": "WARRANT FOR ARREST OF ALIEN, Form I-200"})
        return client.post(path, data=body, content_type="application/json")
    if method == "PATCH":
        return client.patch(path, data=json.dumps({"address": "1 Main St"}), content_type="application/json")
    return client.generic(method, path)


@pytest.mark.parametrize(("method", "path", "role", "expected"), CASES)
def test_it_validates_scope(cast, as_user, method, path, role, expected):
    client = as_user(cast.by_role()[role])
    assert _request(client, method, path).status_code == expected


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in MATRIX])
def test_anonymous_is_sent_to_sign_in(cast, client, method, path):
    response = _request(client, method, path)
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in MATRIX])
def test_password_without_second_factor_is_not_enough(cast, client, method, path):
    client.force_login(cast.district_office)
    response = _request(client, method, path)
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(("/accounts/verify/", "/accounts/enroll/"))


def test_the_matrix_covers_every_staff_route():
    """A new staff page or endpoint must be added to the matrix above."""
    covered = {path for _, path, _ in MATRIX}
    patterns = _route_patterns(get_resolver().url_patterns, "")
    staff_routes = {
        p for p in patterns if p.startswith(("staff/", "api/v1/")) and "openapi" not in p and "docs" not in p
    }
    # Routes with an object id are covered by their own tests (people admin).
    allowed_elsewhere = {
        "api/v1/",  # the API root: 404 for everyone, see test_the_api_root_reveals_nothing
        # The public family API: no account at all (tests/families).
        "api/v1/family/requests",
        "api/v1/family/reports",
        "api/v1/family/cases/lookup",
        # One family case: tests/families/test_case_pages.py.
        "staff/cases/<uuid:case_id>/",
        "staff/cases/<uuid:case_id>/message/",
        "staff/cases/<uuid:case_id>/status/",
        "staff/cases/<uuid:case_id>/assign/",
        "staff/cases/<uuid:case_id>/attachments/<slug:name>/",
        "staff/people/<int:pk>/",
        # One directory entry: rows with entry 1 above; tests/families/test_directory_pages.py.
        "staff/resources/<int:pk>/",
        "staff/resources/<int:pk>/verify/",
        "staff/resources/<int:pk>/remove/",
        # One vendor or finding: tests/vendors/test_pages.py and tests/vendors/test_api.py.
        "staff/vendors/<int:pk>/",
        "staff/vendors/findings/<int:pk>/",
        "api/v1/vendors/findings/<finding_id>/decision",
        # One incident, protocol version, notice or records request: tests/campus/test_pages.py.
        "staff/incidents/<uuid:incident_id>/",
        "staff/incidents/<uuid:incident_id>/entries/",
        "staff/incidents/<uuid:incident_id>/agents/",
        "staff/incidents/<uuid:incident_id>/documents/",
        "staff/incidents/<uuid:incident_id>/documents/questions/",
        "staff/incidents/<uuid:incident_id>/documents/<int:document_id>/",
        "staff/incidents/<uuid:incident_id>/documents/<int:document_id>/photo/",
        "staff/incidents/<uuid:incident_id>/status/",
        "staff/incidents/<uuid:incident_id>/acknowledge/",
        "staff/incidents/<uuid:incident_id>/student-sought/",
        "staff/incidents/<uuid:incident_id>/notices/",
        "staff/incidents/<uuid:incident_id>/pdf/",
        "staff/protocol/v<int:number>/",
        "staff/protocol/v<int:number>/protocol.yaml",
        "staff/notices/<int:notice_id>/",
        "staff/records/<uuid:request_id>/",
        "staff/records/<uuid:request_id>/condition/",
        "staff/records/<uuid:request_id>/decision/",
        "staff/schools/<str:code>/call-down/<int:contact_id>/remove/",
        "staff/people/<int:pk>/active/",
        "staff/people/<int:pk>/roles/<int:membership_pk>/revoke/",
    }
    normalized = {_shape(path) for path in covered}
    missing = {route for route in staff_routes - allowed_elsewhere if _shape("/" + route) not in normalized}
    assert not missing, f"routes without an access expectation: {sorted(missing)}"


def _route_patterns(patterns, prefix):
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            found += _route_patterns(pattern.url_patterns, route)
        else:
            found.append(route)
    return found


def _shape(path):
    """Replace the codes in a path, concrete or as a converter, with one marker."""
    path = path.lstrip("/")
    return re.sub(
        r"(staff/schools|staff/areas|api/v1/schools|staff/readiness/schools|staff/readiness/areas)/[^/]+", r"\1/*", path
    )


def test_the_api_root_reveals_nothing(cast, as_user, client):
    assert client.get("/api/v1/").status_code == 404
    assert as_user(cast.district_office).get("/api/v1/").status_code == 404
