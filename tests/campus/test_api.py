"""POST /api/v1/documents/check: the same answer as the command, for staff
with a campus role; JSON or a multipart file; bad input is 422."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from .photos import encoded, photo

URL = "/api/v1/documents/check"
DOCUMENTS = Path(__file__).parent / "documents"
I200 = (DOCUMENTS / "i200_warrant_for_arrest_of_alien.txt").read_text()


def post_json(client: Client, body: object):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def post_file(client: Client, name: str, content: bytes, content_type: str = "application/octet-stream", **fields):
    return client.post(URL, data={"file": SimpleUploadedFile(name, content, content_type), **fields})


def test_typed_text_gets_the_answer(cast, as_user):
    response = post_json(as_user(cast.staff_a), {"text": I200, "lang": "en"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["kind"] == "administrative_warrant"
    assert answer["route_to_legal"] is True
    assert {"marker": "form_number", "text": "Form I-200"} in answer["markers"]


def test_a_photo_as_multipart(cast, as_user):
    jpeg = encoded(photo((DOCUMENTS / "i247a_detainer.txt").read_text()), "JPEG")
    response = post_file(as_user(cast.admin_a), "detainer.jpg", jpeg, "image/jpeg", lang="es")
    assert response.status_code == 200
    assert response.json()["kind"] == "detainer"


def test_a_text_file_as_multipart(cast, as_user):
    response = post_file(as_user(cast.legal), "nta.pdf", (DOCUMENTS / "i862_notice_to_appear.txt").read_bytes())
    assert response.json()["kind"] == "notice_to_appear"


def test_the_school_in_scope_is_compared(cast, as_user):
    warrant = (DOCUMENTS / "ao93_search_warrant.txt").read_text()
    response = post_json(as_user(cast.staff_a), {"text": warrant, "school": "SA"})
    assert "wrong_school" in response.json()["concerns"]


def test_it_validates_ownership(cast, as_user):
    """A school outside the caller's scope is not found, as everywhere else."""
    response = post_json(as_user(cast.staff_a), {"text": I200, "school": "SB"})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "  \n "}])
def test_empty_text_is_422_with_a_clear_detail(cast, as_user, body):
    response = post_json(as_user(cast.staff_a), body)
    assert response.status_code == 422
    assert "no text" in response.json()["detail"]


def test_a_malformed_request_is_422(cast, as_user):
    client = as_user(cast.staff_a)
    assert post_json(client, {"text": I200, "lang": "fr"}).status_code == 422
    assert post_json(client, {"lang": "en"}).status_code == 422
    assert post_json(client, {"text": 5}).status_code == 422
    assert client.post(URL, data="not json", content_type="application/json").status_code == 422
    assert client.post(URL, data={"lang": "en"}).status_code == 422


def test_an_oversized_file_is_422(cast, as_user):
    response = post_file(as_user(cast.staff_a), "big.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024))
    assert response.status_code == 422
    assert "10 MB" in response.json()["detail"]


@pytest.mark.parametrize(
    "content", [b"GIF89a" + bytes(range(256)), b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"%PDF-1.4 broken"]
)
def test_a_wrong_or_broken_file_is_422(cast, as_user, content):
    response = post_file(as_user(cast.staff_a), "document.png", content)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_a_refusal_in_the_requested_language(cast, as_user):
    english = post_json(as_user(cast.staff_a), {"text": " ", "lang": "en"}).json()["detail"]
    spanish = post_json(as_user(cast.staff_a), {"text": " ", "lang": "es"}).json()["detail"]
    assert spanish != english


def test_anonymous_is_401(cast, client):
    assert post_json(client, {"text": I200}).status_code == 401


@pytest.mark.parametrize("role", ["procurement", "board_member", "system_admin"])
def test_roles_without_a_campus_are_403(cast, as_user, role):
    assert post_json(as_user(cast.by_role()[role]), {"text": I200}).status_code == 403


@pytest.mark.parametrize("role", ["site_staff", "site_admin", "area_office", "district_office", "legal_office"])
def test_campus_roles_may_check(cast, as_user, role):
    assert post_json(as_user(cast.by_role()[role]), {"text": I200}).status_code == 200


def test_the_schema_declares_both_bodies_and_the_errors(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    check = schema["paths"]["/api/v1/documents/check"]["post"]
    assert set(check["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "401", "403", "404", "422"} <= set(check["responses"])
