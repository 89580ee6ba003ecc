"""Deadlines in school days, and cases that move up by themselves when one is missed."""

import json
from datetime import date, timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safezones.audit.models import AuditEvent
from safezones.families.escalation import escalate_overdue
from safezones.families.models import FamilyCase
from safezones.lib.dates import add_school_days
from safezones.outbox.models import OutgoingMessage
from safezones.schools import access

REQUEST = {"school": "SA", "language": "es", "needs": ["counseling"], "message": "Mi hija tiene miedo"}


def _file() -> FamilyCase:
    response = Client().post("/api/v1/family/requests", json.dumps(REQUEST), content_type="application/json")
    assert response.status_code == 201
    return FamilyCase.objects.get()


def _due(case: FamilyCase) -> tuple[date, date]:
    assert case.acknowledge_by is not None
    assert case.resolve_by is not None
    return case.acknowledge_by, case.resolve_by


def test_school_days_skip_the_weekend():
    friday = date(2026, 11, 27)
    assert add_school_days(friday, 1) == date(2026, 11, 30)  # Monday
    assert add_school_days(friday, 2) == date(2026, 12, 1)
    assert add_school_days(date(2026, 11, 23), 10) == date(2026, 12, 7)


def test_a_case_gets_the_districts_deadlines(cast):
    cast.district.acknowledge_school_days, cast.district.resolve_school_days = 1, 5
    cast.district.save()
    case = _file()
    today = timezone.localdate()
    assert (case.acknowledge_by, case.resolve_by) == (add_school_days(today, 1), add_school_days(today, 5))


def test_a_request_starts_with_the_school_and_the_district_and_reaches_the_area_when_overdue(cast):
    case = _file()
    assert case in access.family_cases_for(cast.admin_a)
    assert case in access.family_cases_for(cast.district_office)
    assert case not in access.family_cases_for(cast.area_1_office)

    acknowledge_by, _resolve_by = _due(case)
    assert escalate_overdue(acknowledge_by) == 0  # due today is not late
    OutgoingMessage.objects.all().delete()
    assert escalate_overdue(acknowledge_by + timedelta(days=1)) == 1
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert case in access.family_cases_for(cast.area_1_office)
    assert case not in access.family_cases_for(cast.area_2_office)
    assert AuditEvent.objects.filter(action="family_case.escalated.1").exists()
    told = set(OutgoingMessage.objects.values_list("recipient", flat=True))
    assert told == {"ana@a.test", "carla@area1.test", "dana@district.test"}
    assert "Mi hija" not in "".join(OutgoingMessage.objects.values_list("body", flat=True))


def test_an_acknowledged_case_escalates_only_when_it_is_not_resolved_in_time(cast):
    case = _file()
    FamilyCase.objects.filter(pk=case.pk).update(status="acknowledged")
    acknowledge_by, resolve_by = _due(case)
    assert escalate_overdue(acknowledge_by + timedelta(days=1)) == 0
    assert escalate_overdue(resolve_by + timedelta(days=1)) == 1
    case.refresh_from_db()
    assert case.escalation_level == 1


def test_both_deadlines_missed_take_it_to_the_top_once(cast):
    case = _file()
    late = _due(case)[1] + timedelta(days=1)
    assert escalate_overdue(late) == 1
    assert escalate_overdue(late) == 0
    case.refresh_from_db()
    assert case.escalation_level == 2


def test_resolved_cases_do_not_escalate(cast):
    case = _file()
    FamilyCase.objects.filter(pk=case.pk).update(status="resolved")
    assert escalate_overdue(_due(case)[1] + timedelta(days=30)) == 0


def test_the_periodic_jobs_include_escalation(cast, capsys):
    call_command("run_periodic")
    assert "case(s) escalated" in capsys.readouterr().out


def test_the_inbox_shows_what_is_overdue(cast):
    from tests.families.test_case_pages import _signed_in

    case = _file()
    FamilyCase.objects.filter(pk=case.pk).update(acknowledge_by=timezone.localdate() - timedelta(days=1))
    page = _signed_in(cast.admin_a).get("/staff/cases/").content.decode()
    assert "overdue" in page
