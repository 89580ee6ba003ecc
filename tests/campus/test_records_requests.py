"""Release of a student's or family's information stays blocked until the
law's conditions are recorded."""

import pytest

from safezones.audit.models import AuditEvent
from safezones.campus.models import RecordsRequest
from safezones.campus.records import DecidedError, ReleaseBlockedError, decide, log_request, record_condition

FIELDS = {
    "how": "in_person",
    "requester": "ICE ERO",
    "sought": "whereabouts",
    "document_kind": "administrative_warrant",
}


@pytest.fixture
def request_a(cast):
    return log_request(cast.staff_a, "site_staff", cast.school_a, FIELDS)


def test_a_logged_request_is_blocked_by_default(cast, request_a):
    assert request_a.status == "blocked"
    assert not request_a.may_release
    with pytest.raises(ReleaseBlockedError):
        decide(cast.admin_a, "site_admin", request_a, "released")
    assert RecordsRequest.objects.get().status == "blocked"
    assert AuditEvent.objects.filter(action="records_request.logged").count() == 1


def test_written_parental_consent_allows_release(cast, request_a):
    record_condition(cast.admin_a, "site_admin", request_a, "consent")
    released = decide(cast.admin_a, "site_admin", request_a, "released")
    assert released.status == "released"
    with pytest.raises(DecidedError):
        decide(cast.admin_a, "site_admin", request_a, "refused")


def test_compulsion_alone_is_not_enough_without_the_parent_notice(cast, request_a):
    record_condition(cast.legal, "legal_office", request_a, "compulsion")
    with pytest.raises(ReleaseBlockedError):
        decide(cast.legal, "legal_office", request_a, "released")
    record_condition(cast.legal, "legal_office", request_a, "notice")
    assert decide(cast.legal, "legal_office", request_a, "released").status == "released"


def test_a_court_order_forbidding_notice_stands_in_for_the_notice(cast, request_a):
    record_condition(cast.legal, "legal_office", request_a, "compulsion")
    record_condition(cast.legal, "legal_office", request_a, "order_forbids_notice")
    assert decide(cast.legal, "legal_office", request_a, "released").status == "released"


def test_a_notice_without_compulsion_does_not_allow_release(cast, request_a):
    record_condition(cast.legal, "legal_office", request_a, "notice")
    with pytest.raises(ReleaseBlockedError):
        decide(cast.legal, "legal_office", request_a, "released")


def test_there_is_no_field_for_immigration_or_citizenship_status():
    names = " ".join(field.name for field in RecordsRequest._meta.get_fields())
    assert "status" in names  # the request's own status, release or not
    for word in ("immigration", "citizen", "visa", "alien", "nationality", "student_name"):
        assert word not in names
