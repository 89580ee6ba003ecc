import csv
import glob
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safezones.vendors.contracts import ContractFileError, guess_mapping, parse_contracts, read_table
from safezones.vendors.models import Award, Contract
from safezones.vendors.screening import ReferenceIndex, VendorRecord, read_awards, screen

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ICE = sorted(glob.glob(str(DATA / "ice-awards-fy2013-2018" / "ice_usaspending_fy*.csv")))
LAUSD = DATA / "lausd-contracts"
MAPPING = {"number": "contract_number", "vendor": "vendor_name", "amount": "amount", "end_date": "end_date"}


def _parse(text: str, mapping: dict[str, str] | None = None, name: str = "c.csv"):
    header, rows = read_table(text.encode(), name)
    return parse_contracts(header, rows, mapping or guess_mapping(header))


def test_every_bad_row_is_reported_with_its_line():
    text = (
        "contract_number,vendor_name,amount,end_date\n"
        "C1,Acme,100,2026-01-01\nC2,,abc,2026-13-01\n,Beta,5,\nC1,Gamma,1,\n"
    )
    parsed = _parse(text)
    lines = [line for line, _ in parsed.errors]
    assert lines == [3, 4, 5]
    assert "amount" in parsed.errors[0][1]
    assert "vendor" in parsed.errors[0][1]
    assert [r.number for r in parsed.rows] == ["C1"]


def test_a_missing_column_is_one_clear_error():
    parsed = _parse("title,amount\nX,1\n", {"number": "contract_number"})
    assert parsed.errors[0][0] == 1
    assert "Missing columns" in parsed.errors[0][1]


def test_semicolons_latin1_and_bom_are_read():
    latin = "contract_number;vendor_name;amount\nC1;Caf\xe9 Lumi\xe8re;1.000\n".encode("latin-1")
    header, rows = read_table(latin, "x.csv")
    assert rows[0][1][1] == "Café Lumière"
    header, rows = read_table("\ufeffcontract_number,vendor_name\nC1,A\n".encode(), "x.csv")
    assert header[0] == "contract_number"


def test_master_agreement_vendor_lists_are_split():
    parsed = _parse('contract_number,vendor_list\nC9,"Acme, Inc., Beta Co; Gamma LLC"\n')
    assert parsed.rows[0].vendors == ["Acme, Inc.", "Beta Co", "Gamma LLC"]


def test_xlsx_files_are_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Contract No", "Supplier", "Amount"])
    sheet.append(["X1", "Acme", 12.5])
    out = io.BytesIO()
    book.save(out)
    header, rows = read_table(out.getvalue(), "c.xlsx")
    parsed = parse_contracts(header, rows, guess_mapping(header))
    assert parsed.rows[0].vendors == ["Acme"]
    assert str(parsed.rows[0].amount) == "12.50"
    with pytest.raises(ContractFileError):
        read_table(b"not a workbook", "c.xlsx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=3000)
    | st.text(max_size=3000).map(str.encode)
    | st.lists(st.lists(st.text(max_size=300), max_size=6), max_size=20).map(
        lambda rows: "\n".join(
            [";".join(r) for r in [["contract_number", "vendor", "amount", "end_date"], *rows]]
        ).encode("utf-8-sig")
    )
)
def test_any_file_gives_rows_or_clear_errors_never_a_crash(data):
    try:
        header, rows = read_table(data, "generated.csv")
    except ContractFileError:
        return
    parsed = parse_contracts(header, rows, guess_mapping(header))
    assert all(isinstance(line, int) and reason for line, reason in parsed.errors)


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent: the real data lives in shared/data beside the repository")


def test_load_awards_streams_a_real_ice_file(db):
    _needs(DATA / "ice-awards-fy2013-2018")
    out = io.StringIO()
    call_command("load_awards", ICE[0], stdout=out)
    assert "157 rows loaded" in out.getvalue()
    assert Award.objects.count() == 157
    call_command("load_awards", ICE[0], stdout=out)  # loading again updates, never duplicates
    assert Award.objects.count() == 157


def test_the_lausd_list_screened_against_ice_finds_the_known_vendors():
    _needs(LAUSD)
    index = ReferenceIndex()
    for path in ICE:
        with open(path, encoding="utf-8-sig", newline="") as lines:
            for row in read_awards(lines):
                index.add_award(row)
    with open(LAUSD / "lausd_vendor_names.csv", encoding="utf-8", newline="") as handle:
        vendors = [VendorRecord(str(n), row["vendor"]) for n, row in enumerate(csv.DictReader(handle))]
    flagged = {f.vendor.split(",")[0].split(" (")[0] for f in screen(vendors, index)}
    expected = {
        "CDW Government LLC", "Carahsoft Technology Corporation", "Motorola Solutions", "Microsoft Corporation",
        "Deloitte Consulting", "Ernest & Young", "Johnson Controls", "Zones Inc.", "DLT Solutions", "Gartner",
        "AT&T Corp.", "Verizon", "LexisNexis", "Accenture LLP",
    }  # fmt: skip
    assert expected <= flagged
    assert "Northwestern University" not in flagged
    assert len(flagged - expected) <= 5  # few enough to review by hand


def test_the_screen_command_needs_no_database(tmp_path):
    _needs(DATA / "ice-awards-fy2013-2018")
    vendors = tmp_path / "vendors.csv"
    vendors.write_text('supplier\n"Motorola Solutions, Inc."\nNorthwestern University\n', encoding="utf-8")
    out = tmp_path / "findings.csv"
    call_command("screen", vendors=vendors, awards=[Path(ICE[-1])], out=out, quiet=True, stdout=io.StringIO())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {"vendor", "entity", "link", "confidence", "severity", "award_ids", "obligated_usd"} <= set(rows[0])
    assert [r["vendor"] for r in rows] == ["Motorola Solutions, Inc."]
    assert ";" in rows[0]["award_ids"]


def test_contracts_from_the_lausd_list_import_with_a_mapping(cast):
    _needs(LAUSD)
    from safezones.vendors import actions

    data = (LAUSD / "lausd_contracts.csv").read_bytes()
    header, rows = read_table(data, "lausd_contracts.csv")
    mapping = {**guess_mapping(header), "vendor_list": "vendor_list"}
    parsed = parse_contracts(header, rows, mapping)
    actions.import_contracts(cast.procurement, "procurement", parsed.rows)
    assert Contract.objects.count() == len(parsed.rows)
    assert all(isinstance(line, int) for line, _ in parsed.errors)
