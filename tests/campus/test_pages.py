"""The campus pages: the phone flow, the offices' pages, and who may reach
which incident, protocol version, notice or records request."""

import csv
import io
import uuid

import pytest

from safezones.campus.actions import current_protocol, start_incident
from safezones.campus.models import Incident, RecordsRequest
from safezones.campus.notices import request_notice
from safezones.campus.records import log_request

ROLES = [
    "site_staff",
    "site_admin",
    "area_office",
    "district_office",
    "legal_office",
    "procurement",
    "board_member",
    "system_admin",
]
RECORDS = {"how": "phone", "requester": "ICE", "sought": "records", "document_kind": ""}


@pytest.fixture
def incidents(cast):
    at_a, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    at_b, _ = start_incident(cast.staff_b, "site_staff", cast.school_b, "on_campus")
    return at_a, at_b


@pytest.mark.parametrize(
    ("path", "codes"),
    [
        ("/staff/incidents/{a}/", [200, 200, 200, 200, 200, 404, 404, 404]),
        ("/staff/incidents/{b}/", [404, 404, 404, 200, 200, 404, 404, 404]),
        ("/staff/incidents/{a}/pdf/", [200, 200, 200, 200, 200, 404, 404, 404]),
        ("/staff/incidents/{b}/pdf/", [404, 404, 404, 200, 200, 404, 404, 404]),
        ("/staff/protocol/v1/", [200, 200, 200, 200, 200, 403, 403, 403]),
        ("/staff/protocol/v1/protocol.yaml", [200, 200, 200, 200, 200, 403, 403, 403]),
        ("/staff/records/{ra}/", [200, 200, 200, 200, 200, 404, 404, 404]),
        ("/staff/records/{rb}/", [404, 404, 404, 200, 200, 404, 404, 404]),
    ],
)
def test_it_validates_scope_for_one_object(cast, incidents, as_user, path, codes):
    at_a, at_b = incidents
    ra = log_request(cast.staff_a, "site_staff", cast.school_a, RECORDS)
    rb = log_request(cast.staff_b, "site_staff", cast.school_b, RECORDS)
    url = path.format(a=at_a.pk, b=at_b.pk, ra=ra.pk, rb=rb.pk)
    got = [as_user(cast.by_role()[role]).get(url).status_code for role in ROLES]
    assert got == codes


@pytest.mark.parametrize(
    ("role", "school", "expected"),
    [("site_staff", "a", 302), ("site_staff", "b", 404), ("legal_office", "a", 403), ("board_member", "a", 404)],
)
def test_it_validates_scope_for_writes(cast, incidents, as_user, role, school, expected):
    incident = incidents[0] if school == "a" else incidents[1]
    client = as_user(cast.by_role()[role])
    response = client.post(
        f"/staff/incidents/{incident.pk}/entries/", {"kind": "note", "text": "x", "client_key": uuid.uuid4()}
    )
    assert response.status_code == expected


def test_the_legal_office_records_decisions_but_school_staff_cannot(cast, incidents, as_user):
    incident = incidents[0]
    body = {"kind": "legal_decision", "text": "Administrative warrant: no access.", "client_key": uuid.uuid4()}
    assert as_user(cast.staff_a).post(f"/staff/incidents/{incident.pk}/entries/", body).status_code == 403
    assert as_user(cast.legal).post(f"/staff/incidents/{incident.pk}/entries/", body).status_code == 302
    assert incident.timeline.filter(kind="legal_decision").count() == 1


def test_one_tap_starts_an_incident_and_a_double_tap_starts_one(cast, as_user):
    client = as_user(cast.staff_a)
    page = client.get("/staff/incidents/").content.decode()
    assert "Immigration agents at school" in page
    key = uuid.uuid4()
    body = {"school": "SA", "kind": "on_campus", "client_key": key}
    first = client.post("/staff/incidents/start/", body)
    second = client.post("/staff/incidents/start/", body)
    assert first["Location"] == second["Location"]
    assert Incident.objects.count() == 1
    flow = client.get(first["Location"]).content.decode()
    assert "Say to the agents:" in flow
    assert "I need to get direction from our site administrator" in flow


def test_staff_may_not_start_an_incident_at_another_school(cast, as_user):
    response = as_user(cast.staff_a).post(
        "/staff/incidents/start/", {"school": "SB", "kind": "on_campus", "client_key": uuid.uuid4()}
    )
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_ticking_a_checklist_item_shows_it_done_and_records_the_time(cast, incidents, as_user):
    incident = incidents[0]
    client = as_user(cast.staff_a)
    body = {"kind": "checked", "step": "greet", "item": "asked-to-wait", "client_key": uuid.uuid4()}
    assert client.post(f"/staff/incidents/{incident.pk}/entries/", body).status_code == 302
    page = client.get(f"/staff/incidents/{incident.pk}/").content.decode()
    assert "✔</span> Asked the agents to wait in a public area" in page
    assert incident.timeline.get(kind="checked").at is not None


def test_a_typed_administrative_warrant_gets_the_guidance_not_to_consent(cast, incidents, as_user):
    incident = incidents[0]
    client = as_user(cast.staff_a)
    text = (
        "DEPARTMENT OF HOMELAND SECURITY\nWARRANT FOR ARREST OF ALIEN\nForm I-200\n"
        "Signed: Supervisory Deportation Officer"
    )
    response = client.post(f"/staff/incidents/{incident.pk}/documents/", {"text": text, "client_key": uuid.uuid4()})
    assert response.status_code == 302
    document = incident.documents.get()
    assert document.kind == "administrative_warrant"
    assert document.result["route_to_legal"] is True
    page = client.get(f"/staff/incidents/{incident.pk}/").content.decode()
    assert "consent" in page.lower()


def test_an_empty_document_gets_a_clear_error_and_records_nothing(cast, incidents, as_user):
    incident = incidents[0]
    response = as_user(cast.staff_a).post(
        f"/staff/incidents/{incident.pk}/documents/", {"text": " ", "client_key": uuid.uuid4()}
    )
    assert response.status_code == 422
    assert "Type the document" in response.content.decode()
    assert not incident.documents.exists()


def test_an_agent_form_without_any_detail_is_refused(cast, incidents, as_user):
    incident = incidents[0]
    response = as_user(cast.staff_a).post(f"/staff/incidents/{incident.pk}/agents/", {"client_key": uuid.uuid4()})
    assert response.status_code == 422
    assert "Write at least a name" in response.content.decode()


def test_the_alert_link_shows_a_button_and_only_a_post_acknowledges(cast, client, monkeypatch):
    monkeypatch.setattr("safezones.campus.alerts.new_token", lambda: "known-token-for-this-test-0123456789")
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    token = "known-token-for-this-test-0123456789"
    assert client.get(f"/alerts/{token}/").status_code == 200
    incident.refresh_from_db()
    assert incident.acknowledged_at is None
    assert client.post(f"/alerts/{token}/").status_code == 200
    incident.refresh_from_db()
    assert incident.acknowledged_at is not None
    assert client.get("/alerts/not-a-token/").status_code == 404


def test_the_district_office_publishes_a_protocol_and_sees_specific_errors(cast, as_user):
    client = as_user(cast.district_office)
    current = current_protocol(cast.district)
    bad = client.post("/staff/protocol/edit/", {"source": "title: {es: Hola}", "note": ""})
    assert bad.status_code == 200
    assert "title: the English text is missing" in bad.content.decode()
    yaml_text = client.get(f"/staff/protocol/v{current.number}/protocol.yaml").content.decode()
    good = client.post(
        "/staff/protocol/edit/",
        {"source": yaml_text.replace("Greet the agents", "Welcome the agents"), "note": "wording"},
    )
    assert good.status_code == 302
    assert "Welcome the agents" in client.get("/staff/protocol/").content.decode()


def test_a_protocol_is_imported_from_a_file(cast, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(cast.district_office)
    source = client.get(f"/staff/protocol/v{current_protocol(cast.district).number}/protocol.yaml").content
    upload = SimpleUploadedFile(
        "protocol.yaml", source.replace(b"REF-6767.5", b"BUL-1"), content_type="application/yaml"
    )
    assert client.post("/staff/protocol/edit/", {"upload": upload, "note": "import"}).status_code == 302
    assert current_protocol(cast.district).content["reference"] == "BUL-1"


def test_records_release_stays_blocked_until_the_conditions_are_recorded(cast, as_user):
    client = as_user(cast.staff_a)
    response = client.post("/staff/records/", {"school": "SA", **RECORDS})
    assert response.status_code == 302
    item = RecordsRequest.objects.get()
    admin = as_user(cast.admin_a)
    page = admin.post(f"/staff/records/{item.pk}/decision/", {"status": "released"}, follow=True).content.decode()
    assert "Release is blocked" in page
    admin.post(f"/staff/records/{item.pk}/condition/", {"condition": "consent"})
    admin.post(f"/staff/records/{item.pk}/decision/", {"status": "released"})
    item.refresh_from_db()
    assert item.status == "released"


def test_only_the_legal_office_confirms_compulsion(cast, as_user):
    item = log_request(cast.staff_a, "site_staff", cast.school_a, RECORDS)
    assert (
        as_user(cast.admin_a).post(f"/staff/records/{item.pk}/condition/", {"condition": "compulsion"}).status_code
        == 403
    )
    assert (
        as_user(cast.legal).post(f"/staff/records/{item.pk}/condition/", {"condition": "compulsion"}).status_code == 302
    )


def test_the_board_report_counts_attempts_and_requests_without_drills_or_names(cast, incidents, as_user):
    start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus", drill=True)
    start_incident(cast.staff_a, "site_staff", cast.school_a, "nearby")
    log_request(cast.staff_a, "site_staff", cast.school_a, {**RECORDS, "document_kind": "administrative_subpoena"})
    client = as_user(cast.board)
    rows = list(csv.DictReader(io.StringIO(client.get("/staff/board-report/?format=csv").content.decode())))
    by_school = {row["school_code"]: row for row in rows}
    assert by_school["SA"]["access_attempts"] == "1"  # the drill is not counted
    assert by_school["SA"]["sightings_nearby"] == "1"
    assert by_school["SA"]["records_requests"] == "1"
    assert by_school["SA"]["records_blocked"] == "1"
    assert by_school["SA"]["documents_presented"] == "administrative_subpoena=1"
    assert by_school["SB"]["access_attempts"] == "1"
    assert "alice" not in str(rows)
    pdf = client.get("/staff/board-report/?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/staff/board-report/").status_code == 200
    assert client.get("/staff/incidents/").status_code == 403  # the board sees only its report


def test_the_incident_pdf_holds_the_timeline(cast, incidents, as_user):
    response = as_user(cast.legal).get(f"/staff/incidents/{incidents[0].pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_district_office_approves_a_notice_from_its_page(cast, incidents, as_user):
    notice = request_notice(cast.admin_a, "site_admin", incidents[0], "agents_present")
    client = as_user(cast.district_office)
    assert "Immigration agents came to our school today" in client.get("/staff/notices/").content.decode()
    client.post(f"/staff/notices/{notice.pk}/", {"decision": "approve"})
    notice.refresh_from_db()
    assert notice.status == "published"
    exported = client.get("/staff/notices/published.csv").content.decode()
    assert exported.startswith("school_code,school_name,kind,language,text,published_at")
    assert as_user(cast.admin_a).post(f"/staff/notices/{notice.pk}/", {"decision": "withdraw"}).status_code == 403


def test_whoever_started_an_incident_cannot_acknowledge_its_alert(cast, incidents, as_user):
    incident = incidents[0]  # started by staff_a
    assert as_user(cast.staff_a).post(f"/staff/incidents/{incident.pk}/acknowledge/").status_code == 403
    page = as_user(cast.staff_a).get(f"/staff/incidents/{incident.pk}/").content.decode()
    assert f"/staff/incidents/{incident.pk}/acknowledge/" not in page
    assert "nobody has acknowledged yet" in page
    assert as_user(cast.admin_a).post(f"/staff/incidents/{incident.pk}/acknowledge/").status_code == 302
    incident.refresh_from_db()
    assert incident.acknowledged_by == cast.admin_a


def test_a_document_nobody_can_read_is_checked_by_four_questions(cast, incidents, as_user):
    incident = incidents[0]
    client = as_user(cast.staff_a)
    answers = {"title": "warrant", "issuer": "immigration", "judge_signed": "no", "names_court": "no"}
    response = client.post(
        f"/staff/incidents/{incident.pk}/documents/questions/", {**answers, "client_key": uuid.uuid4()}
    )
    assert response.status_code == 302
    document = incident.documents.get()
    assert document.kind == "administrative_warrant"
    assert document.result["answers"] == answers
    refused = client.post(f"/staff/incidents/{incident.pk}/documents/questions/", {"title": "warrant"})
    assert refused.status_code == 422
    assert incident.documents.count() == 1
    other = as_user(cast.staff_b).post(f"/staff/incidents/{incident.pk}/documents/questions/", answers)
    assert other.status_code == 404
