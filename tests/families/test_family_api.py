"""The public family API, through real HTTP requests to the test server's views."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safezones.families.actions import submission_window
from safezones.families.models import CaseKey, FamilyCase
from safezones.lib import ratelimit, receipts

REQUEST = {"school": "SA", "language": "es", "needs": ["legal_help", "counseling"], "message": "Necesitamos un abogado"}
REPORT = {"school": "SA", "language": "es", "kind": "status_asked", "description": "Preguntaron por papeles"}


def _post(client, path, body):
    return client.post(f"/api/v1/family/{path}", json.dumps(body), content_type="application/json")


def test_a_request_gets_a_receipt(cast, client):
    response = _post(client, "requests", REQUEST)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert receipts.normalize(body["receipt"]) is not None
    case = FamilyCase.objects.get()
    assert (case.kind, case.school, case.needs, case.language) == ("request", cast.school_a, REQUEST["needs"], "es")


def test_a_request_reaches_the_school_area_and_district_offices(cast, client):
    _post(client, "requests", REQUEST)
    offices = {(k.office.kind, k.office.school_id, k.office.area_id) for k in CaseKey.objects.select_related("office")}
    assert offices == {("school", cast.school_a.pk, None), ("area", None, cast.area_1.pk), ("district", None, None)}


def test_a_report_never_reaches_the_school_it_is_about(cast, client):
    assert _post(client, "reports", REPORT).status_code == 201
    kinds = set(CaseKey.objects.values_list("office__kind", flat=True))
    assert kinds == {"area", "district"}


def test_the_receipt_shows_the_case_and_nothing_else(cast, client):
    receipt = _post(client, "reports", REPORT).json()["receipt"]
    _post(client, "requests", REQUEST)
    response = _post(client, "cases/lookup", {"receipt": receipt.replace("-", " ")})
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["status"]) == ("report", "received")
    assert body["messages"] == [{"author": "family", "date": body["received_on"], "text": REPORT["description"]}]


@pytest.mark.parametrize("wrong", ["00000-00000-00000-00000-00000", "123", "", "not a receipt at all"])
def test_a_wrong_receipt_gets_one_generic_answer(cast, client, wrong):
    _post(client, "reports", REPORT)
    response = _post(client, "cases/lookup", {"receipt": wrong})
    assert response.status_code == 404
    assert response.json() == {"detail": "No case matches this receipt. Check the numbers and try again."}


def test_guesses_are_limited(cast, client):
    answers = [_post(client, "cases/lookup", {"receipt": f"{n:025d}"}).status_code for n in range(12)]
    assert answers[:10] == [404] * 10
    assert answers[10:] == [429, 429]


def test_a_retry_with_the_same_key_returns_the_same_receipt_and_files_once(cast, client):
    body = {**REQUEST, "idempotency_key": "retry-token-0123456789abcdef"}
    first, second = _post(client, "requests", body), _post(client, "requests", body)
    assert first.status_code == second.status_code == 201
    assert first.json()["receipt"] == second.json()["receipt"]
    assert FamilyCase.objects.count() == 1


def test_another_key_files_another_case(cast, client):
    _post(client, "requests", {**REQUEST, "idempotency_key": "retry-token-aaaaaaaaaaaaaaaa"})
    _post(client, "requests", {**REQUEST, "idempotency_key": "retry-token-bbbbbbbbbbbbbbbb"})
    assert FamilyCase.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "change", "field"),
    [
        ("requests", {"school": "NOPE"}, "school"),
        ("requests", {"language": "xx"}, "language"),
        ("requests", {"needs": []}, "needs"),
        ("requests", {"needs": ["immigration_status"]}, "needs"),
        ("requests", {"message": "x" * 5001}, "message"),
        ("requests", {"email": "not-an-address"}, "email"),
        ("requests", {"idempotency_key": "short"}, "idempotency_key"),
        ("reports", {"description": "   "}, "description"),
        ("reports", {"kind": "rumour"}, "kind"),
        ("reports", {"date": "2999-01-01"}, "date"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, client, path, change, field):
    base = REQUEST if path == "requests" else REPORT
    response = _post(client, path, {**base, **change})
    assert response.status_code == 422
    assert any(field in error["loc"] for error in response.json()["errors"])
    assert not FamilyCase.objects.exists()


def test_a_missing_description_is_named(cast, client):
    body = {key: value for key, value in REPORT.items() if key != "description"}
    response = _post(client, "reports", body)
    assert response.status_code == 422
    assert "description" in json.dumps(response.json()["errors"])


def test_nothing_the_family_wrote_is_stored_in_the_clear(cast, client):
    from tests.test_privacy import _every_value_in_the_database

    _post(
        client,
        "requests",
        {**REQUEST, "message": "canary-message-7731", "name": "Canary Name", "email": "canary@example.org"},
    )
    _post(client, "reports", {**REPORT, "description": "canary-description-7731"})
    stored = _every_value_in_the_database()
    for canary in ("canary-message-7731", "Canary Name", "canary@example.org", "canary-description-7731"):
        assert canary not in stored


def test_the_schema_declares_the_answers(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"201", "422", "429"} <= set(paths["/api/v1/family/requests"]["post"]["responses"])
    assert {"200", "404", "422", "429"} <= set(paths["/api/v1/family/cases/lookup"]["post"]["responses"])


def test_a_retry_after_the_receipt_was_dropped_is_told_so_and_files_nothing(cast, client):
    body = {**REQUEST, "idempotency_key": "late-retry-token-0123456789"}
    assert _post(client, "requests", body).status_code == 201
    FamilyCase.objects.update(retry_receipt=None)  # as retention does after a day
    response = _post(client, "requests", body)
    assert response.status_code == 409
    assert "cannot be shown again" in response.json()["detail"]
    assert FamilyCase.objects.count() == 1


def test_submissions_are_limited_per_client_and_only_filed_ones_count(cast, client, settings):
    settings.FAMILY_SUBMISSIONS_PER_HOUR = 3
    assert _post(client, "reports", {**REPORT, "school": "NOPE"}).status_code == 422
    answers = [
        _post(client, "reports" if n % 2 else "requests", REPORT if n % 2 else REQUEST).status_code for n in range(5)
    ]
    assert answers == [201, 201, 201, 429, 429]
    assert FamilyCase.objects.count() == 3
    # A refusal takes its own count back: in the table it goes with the
    # transaction, in Redis (which counts apart from it) it is taken back.
    assert ratelimit.count(submission_window("127.0.0.1").key) == 3
    assert _post(client, "cases/lookup", {"receipt": "1" * 25}).status_code == 404  # lookups have their own count


def test_a_full_window_still_hands_back_a_receipt_already_given(cast, client, settings):
    settings.FAMILY_SUBMISSIONS_PER_HOUR = 1
    first = _post(client, "reports", {**REPORT, "idempotency_key": "retry-token-7f3a7f3a7f3a7f3a"})
    assert first.status_code == 201
    assert _post(client, "reports", REPORT).status_code == 429
    again = _post(client, "reports", {**REPORT, "idempotency_key": "retry-token-7f3a7f3a7f3a7f3a"})
    assert (again.status_code, again.json()["receipt"]) == (201, first.json()["receipt"])
    assert FamilyCase.objects.count() == 1


def test_filing_a_report_only_reads_what_it_cannot_know(cast, client):
    assert _post(client, "reports", REPORT).status_code == 201  # the offices and the digest key now exist
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, "reports", REPORT).status_code == 201
    statements = [query["sql"] for query in queries.captured_queries]
    savepoints = [sql for sql in statements if sql.startswith("SAVEPOINT")]
    assert len(savepoints) == 1  # the case's own, as the test runs inside a transaction
    assert not [sql for sql in statements if "outbox_outgoingmessage" in sql]  # the worker tells the offices
    assert not [sql for sql in statements if "schools_membership" in sql]  # nor does it look for their members
    assert not [sql for sql in statements if sql.startswith("SELECT") and "families_receiptsalt" in sql]
    assert not [sql for sql in statements if sql.startswith('SELECT "schools_district"')]  # it came with the school
    assert not [sql for sql in statements if sql.startswith('SELECT "schools_area"')]
    # The school and the offices (a worker keeps these once committed; here, in
    # the test's transaction, they are read); the audit head is taken by its update.
    assert len([sql for sql in statements if sql.startswith("SELECT")]) == 2


def test_a_submission_that_did_not_commit_is_not_counted(cast, monkeypatch):
    from django.db import OperationalError
    from django.test import Client

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr("safezones.families.actions.record", database_gone)  # the last write before the commit
    family = Client(raise_request_exception=False)
    answer = family.post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert answer.status_code == 503
    assert not FamilyCase.objects.exists()
    assert ratelimit.count(submission_window("127.0.0.1").key) == 0
