import json

from safezones.audit.models import AuditEvent


def test_the_site_administrator_edits_the_school(cast, as_user):
    client = as_user(cast.admin_a)
    response = client.post(
        "/staff/schools/SA/edit/", {"name": "School A", "address": "9 Oak St", "languages": "en, ES, ko"}
    )
    assert response.status_code == 302
    cast.school_a.refresh_from_db()
    assert (cast.school_a.address, cast.school_a.languages) == ("9 Oak St", ["en", "es", "ko"])
    event = AuditEvent.objects.get(action="school.update")
    assert (event.actor, event.role, event.school_code) == ("ana@a.test", "site_admin", "SA")
    assert "9 Oak St" not in str(event.__dict__)  # the log names the change, not its content


def test_a_bad_language_code_is_explained_and_nothing_is_saved(cast, as_user):
    response = as_user(cast.admin_a).post(
        "/staff/schools/SA/edit/", {"name": "X", "address": "", "languages": "en, zz"}
    )
    assert response.status_code == 200
    assert b"Unknown language code: zz." in response.content
    cast.school_a.refresh_from_db()
    assert cast.school_a.name == "School A"


def test_site_staff_can_read_but_not_change(cast, as_user):
    client = as_user(cast.staff_a)
    assert (
        client.post("/staff/schools/SA/edit/", {"name": "Renamed", "address": "", "languages": ""}).status_code == 403
    )
    cast.school_a.refresh_from_db()
    assert cast.school_a.name == "School A"


def test_it_validates_ownership(cast, as_user):
    client = as_user(cast.admin_a)
    response = client.post("/staff/schools/SB/edit/", {"name": "Taken over", "address": "", "languages": ""})
    assert response.status_code == 404
    cast.school_b.refresh_from_db()
    assert cast.school_b.name == "School B"


def test_the_roster_lists_only_this_schools_people(cast, as_user):
    page = as_user(cast.staff_a).get("/staff/schools/SA/").content.decode()
    for colleague in ("alice", "amir", "ana"):
        assert colleague in page
    assert "bob" not in page


def test_the_school_list_shows_only_the_scope(cast, as_user):
    codes = [s.code for s in as_user(cast.area_1_office).get("/staff/schools/").context["schools"]]
    assert codes == ["SA", "SA2"]


def test_the_api_changes_a_school_and_records_it(cast, as_user):
    client = as_user(cast.area_1_office)
    response = client.patch(
        "/api/v1/schools/SA2", json.dumps({"languages": ["es", "en"]}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["languages"] == ["es", "en"]
    assert AuditEvent.objects.filter(action="school.update", role="area_office", school_code="SA2").exists()


def test_the_api_explains_bad_input(cast, as_user):
    client = as_user(cast.district_office)
    response = client.patch("/api/v1/schools/SA", json.dumps({"languages": ["xx"]}), content_type="application/json")
    assert response.status_code == 422
    assert "unknown language code(s): xx" in json.dumps(response.json())
    response = client.patch("/api/v1/schools/SA", json.dumps({"name": False}), content_type="application/json")
    assert response.status_code == 422


def test_the_api_needs_the_csrf_token_for_changes(cast):
    from django.test import Client

    from tests.conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), cast.district_office)
    response = client.patch("/api/v1/schools/SA", json.dumps({"address": "x"}), content_type="application/json")
    assert response.status_code == 403
    cast.school_a.refresh_from_db()
    assert cast.school_a.address == ""


def test_the_openapi_schema_declares_the_error_answers(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    patch = schema["paths"]["/api/v1/schools/{code}"]["patch"]["responses"]
    assert {"200", "401", "403", "404", "422"} <= set(patch)


def test_pages_use_the_districts_own_word_for_an_area_in_each_language(cast, as_user):
    cast.district.area_words = {"en": ["Region", "Regions"], "es": ["Región", "Regiones"]}
    cast.district.save()
    client = as_user(cast.staff_a)
    assert "<dt>Region</dt>" in client.get("/staff/schools/SA/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>Región</dt>" in client.get("/staff/schools/SA/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_without_a_word_of_its_own_the_generic_word_is_translated(cast, as_user):
    page = as_user(cast.staff_a).get("/staff/schools/SA/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<dt>Área</dt>" in page
