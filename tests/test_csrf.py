"""Form posts under `Referrer-Policy: no-referrer`: browsers send `Origin: null`
and no Referer; a same-origin post must work, a cross-site one must not."""

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD, sign_in


def _token(client: Client) -> str:
    client.get("/accounts/sign-in/")
    return client.cookies["csrftoken"].value


def _sign_in_post(headers: dict[str, str], with_token: bool = True, secure: bool = False) -> int:
    """Post the sign-in form as a browser would, with the given headers."""
    client = Client(enforce_csrf_checks=True)
    token = _token(client)
    form = {"email": "alice@a.test", "password": PASSWORD}
    if with_token:
        form["csrfmiddlewaretoken"] = token
    return client.post("/accounts/sign-in/", form, headers=headers, secure=secure).status_code


@pytest.mark.parametrize("secure", [False, True])
def test_a_same_origin_post_with_a_null_origin_is_accepted(cast, secure, settings):
    settings.SECURE_SSL_REDIRECT = False
    assert _sign_in_post({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, secure=secure) == 302


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_post_from_another_site_is_refused_even_with_a_token(cast, site):
    assert _sign_in_post({"Origin": "null", "Sec-Fetch-Site": site}) == 403


def test_a_post_without_the_token_is_refused(cast):
    assert _sign_in_post({"Origin": "null"}, with_token=False) == 403


def test_a_real_foreign_origin_is_refused(cast):
    assert _sign_in_post({"Origin": "https://evil.example"}) == 403


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
