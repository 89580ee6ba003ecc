"""Every URL pattern and API route, for every role and anonymous, on objects
inside and outside the person's scope, compared with tests/proof/access_matrix.csv.

Scope: "in" is an object at School A (Area 1), where site staff, the site
administrator and the area office of the cast work; "out" is the same kind of
object at School B (Area 2). "none" is a route with no scoped object in it.
The policy (schools/access.py): outside the scope 404, in scope but read-only
403, anonymous sent to sign in (401 on the API), public pages open to all.
People are signed in as in tests/conftest.py (second factor verified, staff
key not unlocked), so a family case's attachment answers 404 even to a reader:
it cannot be opened without the key (tests/families cover the unlocked case).
Every request is undone afterwards, so each answer is about the same objects.

A new route, a removed one or a changed answer fails the test. After a
deliberate change, write the table again and read the difference:

    UPDATE_ACCESS_MATRIX=1 .venv/bin/pytest tests/proof/test_access_matrix.py
"""

import copy
import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safezones.campus.actions import record_document, start_incident
from safezones.campus.doccheck import check_text
from safezones.campus.models import CallDownContact
from safezones.campus.notices import request_notice
from safezones.campus.records import log_request
from safezones.families.actions import Submission, file_case
from safezones.families.attachments import CleanFile
from safezones.families.models import FamilyCase
from safezones.readiness.actions import attest_item
from safezones.readiness.checklist import district_today
from safezones.schools.models import Membership
from safezones.vendors import actions as vendor_actions
from safezones.vendors.contracts import ContractRow
from safezones.vendors.models import Finding
from safezones.vendors.screening import read_awards
from tests.conftest import Cast, sign_in

TABLE = Path(__file__).with_name("access_matrix.csv")
COLUMNS = ["method", "route", "actor", "scope", "expected"]
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
HTML_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PATCH")
EVIDENCE_ITEM = "printed-protocol"

# A valid body for each API route that takes one, so the answer is about
# access and not about the body.
API_BODIES: dict[str, dict[str, Any]] = {
    "api/v1/schools/<code>": {"address": "1 Main St"},
    "api/v1/documents/check": {"text": "WARRANT FOR ARREST OF ALIEN, Form I-200"},
    "api/v1/vendors/findings/<finding_id>/decision": {"status": "dismissed", "reason": "Not the same company."},
    "api/v1/family/requests": {"school": "SA", "language": "es", "needs": ["legal_help"]},
    "api/v1/family/reports": {"school": "SA", "language": "es", "kind": "info_shared", "description": "x"},
    "api/v1/family/cases/lookup": {"receipt": "0000-0000-0000-0000-0000"},
}
# Form bodies for the pages whose access depends on what is posted: the school
# named in the form ("{school}": School A inside the scope, School B outside),
# or the kind of decision asked for. Other pages are posted empty.
HTML_BODIES: dict[str, dict[str, str]] = {
    "staff/incidents/start/": {
        "school": "{school}",
        "kind": "on_campus",
        "client_key": "0b7f3c9e-5d2a-4c1b-9e8f-7a6b5c4d3e2f",
    },
    "staff/records/": {"school": "{school}", "how": "phone", "requester": "ICE", "sought": "records"},
    "staff/records/<uuid:request_id>/condition/": {"condition": "compulsion"},
    "staff/records/<uuid:request_id>/decision/": {"status": "refused"},
    "staff/incidents/<uuid:incident_id>/notices/": {"kind": "agents_departed"},
}
BODY_SCOPED = {route for route, body in HTML_BODIES.items() if "{school}" in body.values()}
# Query strings some routes read (the item whose evidence file is asked for).
QUERIES = {"staff/readiness/schools/<str:code>/file/": f"?item={EVIDENCE_ITEM}"}


@dataclass(frozen=True)
class Side:
    """The objects of every kind at one school (School A "in", School B "out")."""

    school: str
    area: str
    case: str
    attachment: str
    incident: str
    document: str
    notice: str
    records_request: str
    contact: str
    person: str
    membership: str


@dataclass(frozen=True)
class World:
    sides: dict[str, Side]
    protocol_version: str
    vendor: str
    finding: str


def _side(cast: Cast, school_code: str) -> Side:
    school = cast.school_a if school_code == "SA" else cast.school_b
    staff = cast.staff_a_colleague if school_code == "SA" else cast.staff_b
    incident, _ = start_incident(staff, "site_staff", school, "on_campus")
    notice = request_notice(staff, "site_staff", incident, "agents_present")
    words = "WARRANT FOR ARREST OF ALIEN, Form I-200"
    document = record_document(staff, "site_staff", incident, words, check_text(words, "en").to_json())
    records = log_request(
        staff, "site_staff", school, {"how": "phone", "requester": "ICE", "sought": "records", "document_kind": ""}
    )
    filed = file_case(
        Submission(
            kind=FamilyCase.Kind.REQUEST,
            school=school,
            language="es",
            content={"message": "Necesitamos ayuda"},
            needs=["legal_help"],
            attachments=(CleanFile(b"%PDF-1.7 proof", "application/pdf"),),
        )
    )
    attachment = filed.case.attachments.get()
    evidence = SimpleUploadedFile("evidence.pdf", b"%PDF-1.7 evidence", content_type="application/pdf")
    attest_item(cast.admin_a, "site_admin", school, EVIDENCE_ITEM, on=district_today(cast.district), file=evidence)
    contact = CallDownContact.objects.filter(school=school).order_by("pk").first()
    assert contact is not None
    membership = Membership.objects.get(user=staff)
    return Side(
        school=school.code,
        area=school.area.code,
        case=str(filed.case.pk),
        attachment=attachment.stored_name,
        incident=str(incident.pk),
        document=str(document.pk),
        notice=str(notice.pk),
        records_request=str(records.pk),
        contact=str(contact.pk),
        person=str(staff.pk),
        membership=str(membership.pk),
    )


# One ICE award to a fictional company, in USAspending's award summary layout.
AWARDS = (
    "contract_award_unique_key,award_id_piid,total_obligated_amount,awarding_agency_code,awarding_agency_name,"
    "awarding_sub_agency_code,awarding_sub_agency_name,recipient_uei,recipient_name,"
    "prime_award_base_transaction_description,product_or_service_code,naics_code\n"
    "CONT_AWD_2,70CMSD24C0002,250000.00,070,DHS,7012,ICE,UEIDATAPATH1,PLATEWATCH DATA LLC,"
    "ACCESS TO LICENSE PLATE READER DATABASE,D317,518210\n"
)


def _vendor_finding(cast: Cast) -> tuple[str, str]:
    vendor_actions.load_awards(None, "system", read_awards(io.StringIO(AWARDS)), source="awards.csv")
    vendor_actions.import_contracts(cast.procurement, "procurement", [ContractRow(2, "C-1", ["Platewatch Data LLC"])])
    vendor_actions.run_screening(cast.procurement, "procurement")
    finding = Finding.objects.select_related("vendor").order_by("pk").first()
    assert finding is not None
    return str(finding.vendor.pk), str(finding.pk)


@pytest.fixture
def world(cast: Cast) -> World:
    from safezones.campus.actions import current_protocol

    version = current_protocol(cast.district)
    sides = {"in": _side(cast, "SA"), "out": _side(cast, "SB")}
    vendor, finding = _vendor_finding(cast)
    return World(sides=sides, protocol_version=str(version.number), vendor=vendor, finding=finding)


# --- Routes and the values of their parameters -------------------------------

CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def all_routes() -> list[str]:
    return sorted(_walk(get_resolver().url_patterns, ""))


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route


def _parameter(route: str, name: str) -> Callable[[World, str], str]:
    """Where a route's parameter takes its value from, by its name and place."""
    by_name: dict[str, Callable[[World, str], str]] = {
        "case_id": lambda w, s: w.sides[s].case,
        "name": lambda w, s: w.sides[s].attachment,
        "incident_id": lambda w, s: w.sides[s].incident,
        "document_id": lambda w, s: w.sides[s].document,
        "notice_id": lambda w, s: w.sides[s].notice,
        "request_id": lambda w, s: w.sides[s].records_request,
        "contact_id": lambda w, s: w.sides[s].contact,
        "membership_pk": lambda w, s: w.sides[s].membership,
        "number": lambda w, s: w.protocol_version,
        "finding_id": lambda w, s: w.finding,
        "token": lambda w, s: "not-a-real-alert-token",
    }
    if name == "code":
        areas = route.startswith(("staff/areas/", "staff/readiness/areas/"))
        return (lambda w, s: w.sides[s].area) if areas else (lambda w, s: w.sides[s].school)
    if name == "pk":
        if route.startswith("staff/people/"):
            return lambda w, s: w.sides[s].person
        if route.startswith("staff/vendors/findings/"):
            return lambda w, s: w.finding
        return lambda w, s: w.vendor
    if name not in by_name:
        raise KeyError(f"the access matrix does not know the parameter <{name}> of {route}: add it to _parameter()")
    return by_name[name]


# Parameters that name an object at one school or area; a route with one of
# them is tried inside and outside the person's scope.
SCOPED = {
    "case_id",
    "name",
    "incident_id",
    "document_id",
    "notice_id",
    "request_id",
    "contact_id",
    "membership_pk",
    "code",
}


def scopes_of(route: str) -> tuple[str, ...]:
    names = {match["name"] for match in CONVERTER.finditer(route)}
    if names & SCOPED or route in BODY_SCOPED or (route.startswith("staff/people/") and "pk" in names):
        return ("in", "out")
    return ("none",)


def concrete(route: str, world: World, scope: str) -> str:
    side = scope if scope != "none" else "in"
    path = CONVERTER.sub(lambda match: _parameter(route, match["name"])(world, side), route)
    return "/" + path + QUERIES.get(route, "")


# --- Asking ------------------------------------------------------------------


def _clients(cast: Cast) -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in cast.by_role().items():
        clients[role] = sign_in(Client(raise_request_exception=False), user)
    return clients


def _form(route: str, world: World, scope: str) -> dict[str, str]:
    school = world.sides[scope if scope != "none" else "in"].school
    return {name: value.replace("{school}", school) for name, value in HTML_BODIES.get(route, {}).items()}


def _ask(client: Client, method: str, route: str, path: str, form: dict[str, str]) -> HttpResponseBase:
    """One request, undone afterwards so every answer is about the same world."""
    saved = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif route.startswith("api/"):
            body = json.dumps(API_BODIES.get(route, {}))
            response = client.generic(method, path, body, content_type="application/json")
        else:
            response = client.post(path, form)
        transaction.set_rollback(True)
    client.cookies = saved
    if settings.REDIS_URL:
        cache.clear()  # rate-limit counters outside the database
    return response


def answers(cast: Cast, world: World) -> tuple[dict[tuple[str, str, str, str], int], list[str]]:
    """Every answer, and the staff pages that send an anonymous visitor anywhere but to sign in."""
    clients = _clients(cast)
    found: dict[tuple[str, str, str, str], int] = {}
    astray: list[str] = []
    for route in all_routes():
        methods = API_METHODS if route.startswith("api/") else HTML_METHODS
        for scope in scopes_of(route):
            path, form = concrete(route, world, scope), _form(route, world, scope)
            for method in methods:
                for actor in ACTORS:
                    response = _ask(clients[actor], method, route, path, form)
                    found[method, route, actor, scope] = response.status_code
                    if actor == "anonymous" and _not_to_sign_in(route, response):
                        astray.append(f"{method} {route} sends anonymous to {response['Location']}")
    return found, astray


def _not_to_sign_in(route: str, response: HttpResponseBase) -> bool:
    redirected = route.startswith("staff/") and response.status_code == 302
    return redirected and not response["Location"].startswith("/accounts/sign-in/")


def read_table() -> dict[tuple[str, str, str, str], int]:
    if not TABLE.exists():
        return {}
    with TABLE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {(r["method"], r["route"], r["actor"], r["scope"]): int(r["expected"]) for r in rows}


def write_table(found: dict[tuple[str, str, str, str], int]) -> None:
    with TABLE.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for (method, route, actor, scope), status in sorted(found.items(), key=_order):
            writer.writerow([method, route, actor, scope, status])


def _order(item: tuple[tuple[str, str, str, str], int]) -> tuple[str, str, str, int]:
    (method, route, actor, scope), _ = item
    return (route, method, scope, ACTORS.index(actor))


def differences(
    expected: dict[tuple[str, str, str, str], int], found: dict[tuple[str, str, str, str], int]
) -> list[str]:
    problems = []
    for key, status in sorted(found.items()):
        method, route, actor, scope = key
        if key not in expected:
            problems.append(f"no expected answer for {method} {route} as {actor} (scope {scope}); it answered {status}")
        elif expected[key] != status:
            problems.append(f"{method} {route} as {actor} (scope {scope}): expected {expected[key]}, got {status}")
    problems += [
        f"{m} {r} as {a} (scope {s}) is in the table but no longer a route"
        for m, r, a, s in expected.keys() - found.keys()
    ]
    return problems


def test_every_route_answers_every_actor_as_the_table_says(cast, world):
    found, astray = answers(cast, world)
    assert not astray, astray
    server_errors = [f"{m} {r} as {a} (scope {s})" for (m, r, a, s), status in found.items() if status >= 500]
    assert not server_errors, f"server errors: {server_errors}"
    if os.environ.get("UPDATE_ACCESS_MATRIX") == "1":
        write_table(found)
    problems = differences(read_table(), found)
    assert not problems, (
        f"{len(problems)} answers differ from {TABLE.name} (after a deliberate change, run with "
        "UPDATE_ACCESS_MATRIX=1 and review the difference):\n" + "\n".join(problems[:200])
    )
