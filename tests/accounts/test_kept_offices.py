"""A process keeps the offices it has read outside any transaction: a case is
routed without reading them again, a school that moves goes to its new
area's office, and a flushed database leaves nothing kept."""

import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safezones.accounts.offices import _KEPT, offices_of_school
from safezones.families.models import CaseKey, FamilyCase

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = {"school": "SA", "language": "es", "kind": "not_posted", "description": "Nada en la pared"}


def _report() -> FamilyCase:
    before = set(FamilyCase.objects.values_list("pk", flat=True))
    response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
    assert response.status_code == 201
    return FamilyCase.objects.exclude(pk__in=before).get()


def _offices_read(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if 'FROM "accounts_office"' in query["sql"]]


def test_a_second_case_is_routed_without_reading_the_offices_again(cast):
    _report()
    with CaptureQueriesContext(connection) as queries:
        case = _report()
    assert _offices_read(queries) == []
    kinds = set(CaseKey.objects.filter(case=case).values_list("office__kind", "office__area_id"))
    assert kinds == {("area", cast.area_1.pk), ("district", None)}


def test_a_school_that_moves_goes_to_its_new_area_office(cast):
    _report()
    cast.school_a.area = cast.area_2
    cast.school_a.save(update_fields=["area"])
    case = _report()
    kinds = set(CaseKey.objects.filter(case=case).values_list("office__kind", "office__area_id"))
    assert kinds == {("area", cast.area_2.pk), ("district", None)}


def test_offices_read_inside_a_transaction_are_not_kept(cast):
    _KEPT.clear()
    with transaction.atomic():
        offices_of_school(cast.school_a, ["school", "area", "district"])  # created here: it could roll back
        offices_of_school(cast.school_a, ["school", "area", "district"])
    assert _KEPT == {}
    offices_of_school(cast.school_a, ["school", "area", "district"])
    assert len(_KEPT) == 3


def test_a_flushed_database_leaves_nothing_kept(cast):
    _report()
    assert _KEPT
    call_command("flush", interactive=False, verbosity=0)
    assert _KEPT == {}
