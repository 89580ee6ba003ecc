"""What the server must not keep: client addresses, user agents, or content
in logs; what every page must tell the browser."""

import logging

import pytest
from django.db import connection

from tests.conftest import PASSWORD

CANARY_IP = "203.0.113.77"
CANARY_UA = "CanaryBrowser/9.9 (unique-ua-marker)"
EXPECTED_CSP = "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"


def _every_value_in_the_database() -> str:
    dump: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_no_address_or_user_agent_is_stored_or_logged(cast, client, caplog):
    headers = {"REMOTE_ADDR": CANARY_IP, "HTTP_USER_AGENT": CANARY_UA, "HTTP_X_FORWARDED_FOR": CANARY_IP}
    with caplog.at_level(logging.DEBUG):
        client.get("/", **headers)
        client.post("/accounts/sign-in/", {"email": "alice@a.test", "password": "wrong"}, **headers)
        client.post("/accounts/sign-in/", {"email": "alice@a.test", "password": PASSWORD}, **headers)
        client.get("/staff/schools/SB/", **headers)
        client.get("/missing-page/", **headers)
    stored = _every_value_in_the_database()
    assert CANARY_IP not in stored
    assert "unique-ua-marker" not in stored
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert CANARY_IP not in logged
    assert "unique-ua-marker" not in logged


def test_a_failed_sign_in_keeps_no_password(cast, client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post("/accounts/sign-in/", {"email": "alice@a.test", "password": "canary-password-123"})
    assert "canary-password-123" not in _every_value_in_the_database()
    assert "canary-password-123" not in caplog.text


@pytest.mark.parametrize("path", ["/", "/accounts/sign-in/", "/healthz", "/api/v1/openapi.json", "/missing-page/"])
def test_every_public_answer_has_the_strict_headers(db, client, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store" or "max-age=0" in response["Cache-Control"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_staff_pages_have_the_same_headers_and_are_not_cached(cast, as_user):
    response = as_user(cast.staff_a).get("/staff/schools/SA/")
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert "no-store" in response["Cache-Control"]


def test_no_page_names_another_origin(cast, as_user, client):
    pages = [client.get("/"), client.get("/accounts/sign-in/"), as_user(cast.district_office).get("/staff/")]
    for page in pages:
        html = page.content.decode()
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in html
        assert "//cdn" not in html
