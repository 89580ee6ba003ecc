import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from safezones.vendors import actions
from safezones.vendors.contracts import ContractRow
from safezones.vendors.demo import load_demo_vendors
from safezones.vendors.models import (
    Award,
    Contract,
    Evidence,
    Finding,
    LegalEntityName,
    OwnershipEdge,
    PendingUpload,
    Vendor,
)
from safezones.vendors.screening import ReferenceIndex, read_awards
from safezones.vendors.screening.gleif import open_gleif, read_entity_names, read_relationships
from safezones.vendors.screening.reference import OwnershipLink
from tests.vendors.fixtures import (
    BRIGHTPATH_LEI,
    MERIDIAN_LEI,
    PLATEWATCH_LEI,
    gleif_entities_csv,
    gleif_relationships_csv,
    summary_csv,
)


def test_gleif_relationships_are_read_child_to_parent_active_consolidations_only():
    rows = list(read_relationships(io.StringIO(gleif_relationships_csv())))
    assert [(r.child_lei, r.parent_lei) for r in rows[:2]] == [
        (PLATEWATCH_LEI, MERIDIAN_LEI),
        (BRIGHTPATH_LEI, MERIDIAN_LEI),
    ]
    assert rows[0].start == "2019-06-01"  # the relationship period, not the accounting period
    assert len(rows) == 3  # the inactive and the fund relationships are left out
    names = dict(read_entity_names(io.StringIO(gleif_entities_csv()), {MERIDIAN_LEI}))
    assert names == {MERIDIAN_LEI: "Meridian Group, PLC"}


def test_a_gleif_zip_is_read_as_its_csv(tmp_path):
    path = tmp_path / "rr.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("20260101-gleif-goldencopy-rr.csv", gleif_relationships_csv())
    with open_gleif(path) as lines:
        assert len(list(read_relationships(lines))) == 3


def _gleif_files(tmp_path):
    rr, lei = tmp_path / "rr.csv", tmp_path / "lei.csv"
    rr.write_text(gleif_relationships_csv(), encoding="utf-8")
    lei.write_text(gleif_entities_csv(), encoding="utf-8")
    return rr, lei


def test_load_gleif_stores_edges_and_the_names_they_need(db, tmp_path):
    rr, lei = _gleif_files(tmp_path)
    out = io.StringIO()
    call_command("load_gleif", lei, rr, stdout=out)  # relationship files are read first whatever the order
    assert "3 ownership edges loaded" in out.getvalue()
    assert set(OwnershipEdge.objects.values_list("source", flat=True)) == {"GLEIF"}
    edge = OwnershipEdge.objects.get(child_ref=f"lei:{PLATEWATCH_LEI}")
    assert edge.parent_ref == f"lei:{MERIDIAN_LEI}"
    assert edge.start_date == "2019-06-01"
    assert not LegalEntityName.objects.filter(name="Nobody Else Inc.").exists()
    assert LegalEntityName.objects.get(ref=f"lei:{MERIDIAN_LEI}").name == "Meridian Group, PLC"
    call_command("load_gleif", rr, lei, stdout=out)
    assert OwnershipEdge.objects.count() == 3


def test_load_gleif_refuses_a_file_that_is_not_gleif(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,amount\nA,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a GLEIF"):
        call_command("load_gleif", path, stdout=io.StringIO())
    assert not OwnershipEdge.objects.exists()


def test_a_gleif_parent_links_a_vendor_to_its_sibling_with_awards(cast, tmp_path):
    actions.load_awards(None, "system", read_awards(io.StringIO(summary_csv())), source="summary.csv")
    call_command("load_gleif", *_gleif_files(tmp_path), stdout=io.StringIO())
    actions.import_contracts(cast.procurement, "procurement", [ContractRow(2, "C-9", ["Brightpath Learning, Inc."])])
    actions.run_screening(cast.procurement, "procurement")
    finding = Finding.objects.get(vendor__name__startswith="Brightpath")
    assert (finding.entity, finding.link) == ("PLATEWATCH DATA LLC", "sibling")
    assert [hop["source"] for hop in finding.evidence["path"]] == ["gleif", "gleif"]
    assert "Meridian" in finding.explanation


def test_ownership_far_from_any_known_company_stays_out_of_memory():
    index = ReferenceIndex()
    for row in read_awards(io.StringIO(summary_csv())):
        index.add_award(row)
    before = len(index.entities)
    links = [
        OwnershipLink("Meridian Group PLC", "Platewatch Data LLC", "lei:M", "lei:P"),
        OwnershipLink("Meridian Group PLC", "Brightpath Learning Inc", "lei:M", "lei:B"),
        OwnershipLink("Far Away Holdings", "Quiet Harbor Bakery", "lei:F", "lei:Q"),
    ]
    assert index.add_ownership(lambda: links) == 2
    assert len(index.entities) == before + 2  # Meridian and Brightpath, not the bakery or its parent


# ---- uploads ------------------------------------------------------------------
def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_award_files_are_loaded_from_the_browser(cast, as_user):
    client = as_user(cast.procurement)
    response = client.post("/staff/vendors/awards/upload/", {"file": _file("awards.csv", summary_csv())})
    assert response.status_code == 302
    assert Award.objects.count() == 3  # the FEMA row is not an agency that counts
    refused = client.post("/staff/vendors/awards/upload/", {"file": _file("x.csv", "name,amount\nA,1\n")})
    assert refused.status_code == 422
    assert Award.objects.count() == 3


def test_a_file_too_large_for_the_browser_points_to_the_command_line(cast, as_user, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = as_user(cast.procurement)
    response = client.post("/staff/vendors/awards/upload/", {"file": _file("big.csv", summary_csv() * 3)})
    assert response.status_code == 413
    assert "safezones load-awards" in response.content.decode()
    assert not Award.objects.exists()


EVIDENCE_HEADER = "entity,relationship,what,source_url,date,severity\n"


def test_curated_evidence_is_checked_whole_before_it_is_saved(cast, as_user):
    client = as_user(cast.procurement)
    bad = EVIDENCE_HEADER + "Acme,broker,Sells data,https://example.org/a,2025-01-01,surveillance\nBeta,,x,ftp://x,,\n"
    response = client.post("/staff/vendors/evidence/upload/", {"file": _file("e.csv", bad)})
    assert response.status_code == 422
    assert "Line 3" in response.content.decode()
    assert not Evidence.objects.exists()
    good = EVIDENCE_HEADER + "Acme,broker,Sells data,https://example.org/a,2025-01-01,surveillance\n"
    assert client.post("/staff/vendors/evidence/upload/", {"file": _file("e.csv", good)}).status_code == 302
    assert Evidence.objects.get().entity == "Acme"
    yaml_text = (
        "- entity: Gamma\n  relationship: host\n  what: Hosts a system\n"
        "  source_url: https://example.org/g\n  date: '2025'\n"
    )
    yaml_file = SimpleUploadedFile("e.yaml", yaml_text.encode(), content_type="application/yaml")
    assert client.post("/staff/vendors/evidence/upload/", {"file": yaml_file}).status_code == 302
    assert Evidence.objects.count() == 2


def test_the_column_step_keeps_the_file_encrypted_and_never_asks_for_it_again(cast, as_user):
    client = as_user(cast.procurement)
    text = "Agreement,Company,Total\nK-1,Acme Widgets,100\nK-2,Beta Books,200\n"
    first = client.post("/staff/vendors/import/", {"file": _file("odd.csv", text)})
    assert first.status_code == 200
    token = first.context["upload_token"]
    kept = PendingUpload.objects.get()
    assert b"Acme Widgets" not in bytes(kept.data)
    other = as_user(cast.district_office)
    assert actions.kept_upload(cast.district_office, token) is None
    assert other is not None
    confirm = {"upload": token, "map_number": "Agreement", "map_vendor": "Company", "map_amount": "Total"}
    response = client.post("/staff/vendors/import/", confirm)
    assert response.status_code == 302
    assert sorted(Contract.objects.values_list("number", flat=True)) == ["K-1", "K-2"]
    assert not PendingUpload.objects.exists()


def test_an_expired_or_foreign_upload_asks_for_the_file_again(cast, as_user):
    response = as_user(cast.procurement).post("/staff/vendors/import/", {"upload": "bm90IGEga2V5", "map_number": "x"})
    assert response.status_code == 422
    assert not Contract.objects.exists()


# ---- demo ---------------------------------------------------------------------------
def test_the_demo_district_shows_findings_of_every_kind(db):
    load_demo_vendors()
    links = {
        (v.split(",")[0].removesuffix(" LLC"), link) for v, link in Finding.objects.values_list("vendor__name", "link")
    }
    assert {
        ("Lumen Roads Analytics", "direct"),
        ("Beacon Radio Supply Co.", "direct"),
        ("Granite Peak Holdings", "subsidiary"),
        ("Brightleaf Learning Cloud", "subprocessor"),
        ("Quillfeather Data Brokers", "curated"),
    } <= links
    assert not Finding.objects.filter(vendor__name__in=["Sunrise School Supplies", "Northwest Tutoring Partners"])
    assert Vendor.objects.count() == 7
