from unittest import mock

from django.db.utils import OperationalError


def test_it_reports_a_working_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_liveness_check_needs_no_database(client):
    response = client.get("/livez")
    assert (response.status_code, response.content) == (200, b"ok")


def test_it_reports_an_unreachable_database(db, client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
