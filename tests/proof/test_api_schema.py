"""Generated requests against every operation of /api/v1/openapi.json, through
Django's WSGI application in this process: anonymous and as each role of the
cast (signed in with a verified second factor, with a CSRF token). No answer
is a server error, and every answer is one the schema declares, in the shape
it declares. Data that breaks the schema is generated as well as valid data.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation

from tests.conftest import Cast, sign_in

ACTORS = [
    "anonymous",
    "site_staff",
    "site_admin",
    "area_office",
    "district_office",
    "legal_office",
    "procurement",
    "board_member",
    "system_admin",
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Each operation gets up to EXAMPLES generated cases per actor; operations
# without parameters are exhausted sooner. Nine actors together send well over
# 1,000 requests (MINIMUM_PER_ACTOR is checked).
EXAMPLES = 20
MINIMUM_PER_ACTOR = 150
CSRF_SECRET = "proofproofproofproofproofproof12"  # 32 letters and digits, as Django makes them
FUZZ = hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
REAL_SCHOOL = {"school": "SA", "language": "es"}
KNOWN = {"code": st.sampled_from(["SA", "SB", "sa", "SA2"])}


def cookies_for(cast: Cast, actor: str) -> dict[str, str]:
    """The CSRF cookie, and the session of a person signed in with both factors."""
    cookies = {settings.CSRF_COOKIE_NAME: CSRF_SECRET}
    if actor != "anonymous":
        client = sign_in(Client(), cast.by_role()[actor])
        cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def cases_for(operation: APIOperation[Any, Any, Any, Any]) -> st.SearchStrategy[Case[Any]]:
    """Valid and invalid data, and for paths with a school code also the codes of real schools."""
    strategies = [operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
    names = {parameter.name for parameter in operation.path_parameters}
    if names and names <= KNOWN.keys():
        known = st.fixed_dictionaries({name: KNOWN[name] for name in names})
        strategies.append(known.flatmap(lambda values: operation.as_strategy(path_parameters=values)))
    return st.one_of(strategies)


@pytest.fixture
def app() -> Iterator[WSGIHandler]:
    """Django's WSGI application, kept from closing the test's database
    connection after each request (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("actor", ACTORS)
def test_every_answer_is_declared_and_none_is_a_server_error(app, cast, actor):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cookies = cookies_for(cast, actor)
    sent = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()

        @FUZZ
        @given(case=cases_for(operation), real_school=st.booleans())
        def call(case: Case[Any], real_school: bool) -> None:
            if real_school and isinstance(case.body, dict) and "school" in case.body:
                case.body.update(REAL_SCHOOL)  # so that valid family submissions are accepted too
            case.cookies = {**(case.cookies or {}), **cookies}
            response = case.call_and_validate(headers={"X-CSRFToken": CSRF_SECRET}, checks=CHECKS)
            sent.append(f"{case.operation.label} {response.status_code}")

        call()
    assert len(sent) >= MINIMUM_PER_ACTOR, f"only {len(sent)} requests were sent"
