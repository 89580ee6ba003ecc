"""Form posts under `Referrer-Policy: no-referrer`: browsers send `Origin: null`
and no Referer; a same-origin post must work, a cross-site one must not."""

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD, sign_in


def _token(client: Client) -> str:
    client.get("/accounts/sign-in/")
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("secure", [False, True])
def test_a_same_origin_post_with_a_null_origin_is_accepted(cast, secure, settings):
    settings.SECURE_SSL_REDIRECT = False
    client = Client(enforce_csrf_checks=True)
    token = _token(client)
    response = client.post(
        "/accounts/sign-in/",
        {"email": "alice@a.test", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
        secure=secure,
    )
    assert response.status_code == 302


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_post_from_another_site_is_refused_even_with_a_token(cast, site):
    client = Client(enforce_csrf_checks=True)
    token = _token(client)
    response = client.post(
        "/accounts/sign-in/",
        {"email": "alice@a.test", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE=site,
    )
    assert response.status_code == 403


def test_a_post_without_the_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    _token(client)
    response = client.post("/accounts/sign-in/", {"email": "alice@a.test", "password": PASSWORD}, HTTP_ORIGIN="null")
    assert response.status_code == 403


def test_a_real_foreign_origin_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    token = _token(client)
    response = client.post(
        "/accounts/sign-in/",
        {"email": "alice@a.test", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403


def test_the_api_accepts_its_own_pages_and_refuses_other_sites(cast):
    client = sign_in(Client(enforce_csrf_checks=True), cast.district_office)
    token = _token(client)
    body = json.dumps({"address": "5 Elm St"})
    headers = {"X-CSRFToken": token, "Origin": "null"}
    refused = client.patch(
        "/api/v1/schools/SA", body, content_type="application/json", headers={**headers, "Sec-Fetch-Site": "cross-site"}
    )
    assert refused.status_code == 403
    accepted = client.patch(
        "/api/v1/schools/SA",
        body,
        content_type="application/json",
        headers={**headers, "Sec-Fetch-Site": "same-origin"},
    )
    assert accepted.status_code == 200
