"""Exports leave Safe Zones as files: each asks for the password again when it
was last given more than REAUTH_SECONDS ago, even in an open session."""

import time

import pytest
from django.test import Client

from safezones.accounts import reauth
from safezones.accounts.devices import current_code
from safezones.audit.models import AuditEvent
from safezones.campus.actions import start_incident
from tests.conftest import PASSWORD, confirmed_totp

EXPORTS = [
    "/staff/board-report/?format=csv",
    "/staff/board-report/?format=pdf",
    "/staff/notices/published.csv",
    "/staff/readiness/export.csv",
    "/staff/readiness/report/?format=csv",
    "/staff/readiness/report/?format=pdf",
    "/staff/vendors/report.csv",
    "/staff/vendors/report.pdf",
    "/staff/vendors/findings.ftm.jsonl",
]


def _stale(client: Client) -> Client:
    session = client.session
    session[reauth.SESSION_KEY] = int(time.time()) - 16 * 60
    session.save()
    return client


def test_a_real_sign_in_counts_as_proof(cast):
    client = Client()
    client.post("/accounts/sign-in/", {"email": cast.district_office.email, "password": PASSWORD})
    client.post("/accounts/verify/", {"code": current_code(confirmed_totp(cast.district_office))})
    assert client.get("/staff/notices/published.csv").status_code == 200


@pytest.mark.parametrize("path", EXPORTS)
def test_every_export_asks_for_the_password_after_fifteen_minutes(cast, as_user, path):
    client = _stale(as_user(cast.district_office))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm/?next=")


def test_the_html_report_itself_needs_no_confirmation(cast, as_user):
    assert _stale(as_user(cast.board)).get("/staff/board-report/").status_code == 200


def test_the_password_opens_the_export_and_a_wrong_one_does_not(cast, as_user):
    client = _stale(as_user(cast.district_office))
    target = "/staff/notices/published.csv"
    wrong = client.post(f"/accounts/confirm/?next={target}", {"password": "not it", "next": target})
    assert wrong.status_code == 200
    assert "This is not your password." in wrong.content.decode()
    assert client.get(target).status_code == 302
    right = client.post("/accounts/confirm/", {"password": PASSWORD, "next": target})
    assert right.status_code == 302
    assert right["Location"] == target
    assert client.get(target).status_code == 200
    assert AuditEvent.objects.filter(action="auth.confirm_failed").count() == 1
    assert AuditEvent.objects.filter(action="auth.confirmed").count() == 1


def test_the_incident_pdf_asks_too(cast, as_user):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    assert _stale(as_user(cast.legal)).get(f"/staff/incidents/{incident.pk}/pdf/").status_code == 302


def test_the_confirmation_page_never_sends_elsewhere(cast, as_user):
    client = _stale(as_user(cast.district_office))
    response = client.post("/accounts/confirm/", {"password": PASSWORD, "next": "https://elsewhere.example/"})
    assert response["Location"] == "/staff/"
