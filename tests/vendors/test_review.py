import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from safezones.audit.models import AuditEvent
from safezones.vendors import actions
from safezones.vendors.contracts import ContractRow
from safezones.vendors.models import Award, Contract, Finding, Vendor
from safezones.vendors.screening import read_awards
from tests.vendors.fixtures import summary_csv, transactions_csv


@pytest.fixture
def screened(cast):
    actions.load_awards(None, "system", read_awards(io.StringIO(summary_csv())), source="summary.csv")
    actions.load_awards(None, "system", read_awards(io.StringIO(transactions_csv())), source="tx.csv")
    ends = timezone.localdate() + timedelta(days=90)
    rows = [
        ContractRow(2, "C-1", ["Platewatch Data LLC"], title="Plate data", amount=None, end_date=ends),
        ContractRow(3, "C-2", ["Northwestern University", "Halcyon Holdings, Inc."], title="Research"),
    ]
    actions.import_contracts(cast.procurement, "procurement", rows)
    actions.run_screening(cast.procurement, "procurement")
    return cast


def _finding(entity: str) -> Finding:
    return Finding.objects.get(entity=entity, vendor__name__startswith="Platewatch")


def test_screening_stores_findings_with_evidence(screened):
    finding = _finding("PLATEWATCH DATA LLC")
    assert finding.link == "direct"
    assert finding.severity == "surveillance"
    assert finding.award_ids == ["70CMSD24C0002"]
    assert finding.evidence["awards"][0]["permalink"].startswith("https://www.usaspending.gov/")
    assert not Finding.objects.filter(vendor__name="Northwestern University").exists()
    assert AuditEvent.objects.filter(action="vendors.screen").exists()


def test_a_decision_is_audited_and_survives_rescreening(screened):
    finding = _finding("PLATEWATCH DATA LLC")
    actions.decide_finding(screened.procurement, "procurement", finding, status="dismissed", reason="Different firm")
    assert AuditEvent.objects.filter(action="vendors.finding.dismissed", object_id=str(finding.pk)).exists()
    actions.run_screening(screened.procurement, "procurement")
    finding.refresh_from_db()
    assert finding.status == "dismissed"
    assert finding.reason == "Different firm"


def test_a_dismissed_finding_reopens_when_its_evidence_changes(screened):
    finding = _finding("PLATEWATCH DATA LLC")
    actions.decide_finding(screened.procurement, "procurement", finding, status="dismissed", reason="Small")
    Award.objects.filter(award_id="70CMSD24C0002").update(obligated=999999)
    summary = actions.run_screening(screened.procurement, "procurement")
    finding.refresh_from_db()
    assert finding.status == "open"
    assert summary.reopened == 1


def test_confirmed_findings_reach_the_board_report_and_renewal_watch(screened, as_user):
    actions.decide_finding(
        screened.procurement, "procurement", _finding("PLATEWATCH DATA LLC"), status="confirmed", reason="Same UEI"
    )
    board = as_user(screened.board)
    page = board.get("/staff/vendors/report/")
    assert b"Platewatch Data" in page.content
    assert b"Renewal due within 180 days" in page.content
    csv_text = board.get("/staff/vendors/report.csv").content.decode()
    assert "Platewatch Data" in csv_text
    assert "70CMSD24C0002" in csv_text
    pdf = board.get("/staff/vendors/report.pdf")
    assert pdf.content.startswith(b"%PDF")
    index = as_user(screened.procurement).get("/staff/vendors/")
    assert b"C-1" in index.content


def test_reviewers_decide_on_the_finding_page(screened, as_user):
    finding = _finding("PLATEWATCH DATA LLC")
    url = f"/staff/vendors/findings/{finding.pk}/"
    response = as_user(screened.procurement).post(url, {"status": "confirmed", "reason": "UEI matches"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.decided_by) == ("confirmed", screened.procurement)
    assert as_user(screened.procurement).post(url, {"status": "confirmed", "reason": ""}).status_code == 422


@pytest.mark.parametrize(
    ("role", "read", "decide"),
    [
        ("site_staff", 403, 403),
        ("site_admin", 403, 403),
        ("area_office", 403, 403),
        ("district_office", 200, 403),
        ("legal_office", 200, 403),
        ("procurement", 200, 302),
        ("board_member", 403, 403),
        ("system_admin", 403, 403),
    ],
)
def test_it_validates_ownership(screened, as_user, role, read, decide):
    client = as_user(screened.by_role()[role])
    finding = _finding("PLATEWATCH DATA LLC")
    vendor = finding.vendor
    assert client.get(f"/staff/vendors/findings/{finding.pk}/").status_code == read
    assert client.get(f"/staff/vendors/{vendor.pk}/").status_code == read
    assert (
        client.post(f"/staff/vendors/findings/{finding.pk}/", {"status": "dismissed", "reason": "x"}).status_code
        == decide
    )
    body = '{"status": "dismissed", "reason": "x"}'
    api = client.post(f"/api/v1/vendors/findings/{finding.pk}/decision", body, content_type="application/json")
    assert api.status_code == (200 if decide == 302 else 403)


def test_an_unknown_finding_is_404(screened, as_user):
    assert as_user(screened.procurement).get("/staff/vendors/findings/999999/").status_code == 404


def test_a_vendor_cannot_be_marked_compliant_with_a_term_missing(screened, as_user):
    vendor = Vendor.objects.get(name__startswith="Platewatch")
    client = as_user(screened.procurement)
    client.post(f"/staff/vendors/{vendor.pk}/", {"student_data": "records", "parent_name": ""})
    vendor.refresh_from_db()
    assert vendor.student_data == "records"
    data = {"compliant": "on", "term_ec_ownership": "on"}
    response = client.post(f"/staff/vendors/{vendor.pk}/", data)
    assert response.status_code == 422
    vendor.refresh_from_db()
    assert vendor.compliant_on is None
    assert not vendor.terms.exists()
    from safezones.vendors.terms import TERMS

    everything = {"compliant": "on", **{f"term_{code}": "on" for code in TERMS}}
    assert client.post(f"/staff/vendors/{vendor.pk}/", everything).status_code == 302
    vendor.refresh_from_db()
    assert vendor.compliant_on == timezone.localdate()


def test_a_subprocessor_finding_reaches_a_vendor_with_student_data(screened, cast):
    platewatch = Vendor.objects.get(name__startswith="Platewatch")
    gradebook, _ = actions.find_or_create_vendor("Gradebook Cloud")
    actions.set_vendor_profile(
        cast.procurement, "procurement", gradebook, student_data="records", parent_name="", subprocessors=[platewatch]
    )
    actions.run_screening(cast.procurement, "procurement")
    finding = Finding.objects.get(vendor=gradebook)
    assert finding.link == "subprocessor"


def test_the_ftm_export_lists_entities(screened, as_user):
    lines = as_user(screened.legal).get("/staff/vendors/findings.ftm.jsonl").content.decode().splitlines()
    import json

    schemas = {json.loads(line)["schema"] for line in lines}
    assert {"Company", "Contract", "ContractAward", "UnknownLink", "PublicBody"} <= schemas


def test_the_screen_vendors_command(screened):
    out = io.StringIO()
    call_command("screen_vendors", stdout=out)
    assert "vendors screened" in out.getvalue()


def test_reimport_updates_by_contract_number(screened, cast):
    actions.import_contracts(
        cast.procurement, "procurement", [ContractRow(2, "C-1", ["Platewatch Data LLC"], title="New title")]
    )
    assert Contract.objects.get(number="C-1").title == "New title"
    assert Contract.objects.count() == 2
