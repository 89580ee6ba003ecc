import csv
import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from safezones.audit.queries import verify_chain
from safezones.schools.models import Area, School
from safezones.schools.roster import parse_roster

GOOD = b"""code,name,area,address,languages
SA,School A renamed,Area One,1 First St,en;es
NEW1,New School,Area One,2 Second St,en es ko
NEW2,Another School,Brand New Area,,
"""

BAD = b"""code,name,area,address,languages
OK1,Fine School,Area One,,en
,No Code,Area One,,
BAD CODE!,Bad Code,Area One,,
OK2,,Area One,,
OK3,No Area,,,
OK1,Duplicate,Area One,,
OK4,Unknown Language,Area One,,en;xx
OK5,Too Many,Area One,,en,extra
"""


def _import(tmp_path, data: bytes) -> None:
    path = tmp_path / "schools.csv"
    path.write_bytes(data)
    call_command("import_schools", str(path))


def test_it_adds_and_updates_schools(cast, tmp_path, capsys):
    _import(tmp_path, GOOD)
    assert "2 created, 1 updated, 0 unchanged; new areas: Brand New Area" in capsys.readouterr().out
    school_a = School.objects.get(code="SA")
    assert (school_a.name, school_a.address, school_a.languages) == ("School A renamed", "1 First St", ["en", "es"])
    assert School.objects.get(code="NEW1").languages == ["en", "es", "ko"]
    assert School.objects.get(code="NEW2").area == Area.objects.get(name="Brand New Area")
    assert verify_chain()[1] is None


def test_a_second_import_changes_nothing(cast, tmp_path, capsys):
    _import(tmp_path, GOOD)
    _import(tmp_path, GOOD)
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_it_lists_every_bad_row_and_changes_nothing(cast, tmp_path, capsys):
    before = list(School.objects.values_list("code", "name").order_by("code"))
    with pytest.raises(CommandError, match="7 row"):
        _import(tmp_path, BAD)
    errors = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in errors] == [f"line {n}" for n in range(3, 10)]
    assert "The code is empty." in errors[0]
    assert "BAD CODE!" in errors[1]
    assert "The name is empty." in errors[2]
    assert "The area is empty." in errors[3]
    assert "already appears on line 2" in errors[4]
    assert "xx" in errors[5]
    assert "more cells than the header" in errors[6]
    assert list(School.objects.values_list("code", "name").order_by("code")) == before
    assert not School.objects.filter(code="OK1").exists()


def test_it_names_missing_columns(cast, tmp_path, capsys):
    with pytest.raises(CommandError):
        _import(tmp_path, b"code,title\nX,Y\n")
    assert "line 1: Missing columns: name, area." in capsys.readouterr().err


def test_it_refuses_text_that_is_not_utf8(cast, tmp_path, capsys):
    with pytest.raises(CommandError):
        _import(tmp_path, "code,name,area\nX,Escuela Año,Área\n".encode("latin-1"))
    assert "not UTF-8" in capsys.readouterr().err


def test_it_accepts_a_spreadsheet_byte_order_mark(cast, tmp_path):
    _import(tmp_path, b"\xef\xbb\xbfcode,name,area\nBOM1,Escuela,Area One\n")
    assert School.objects.filter(code="BOM1").exists()


def test_it_needs_a_district(db, tmp_path):
    with pytest.raises(CommandError, match="set-district"):
        _import(tmp_path, GOOD)


def test_list_schools_prints_the_code_first(cast, capsys):
    call_command("list_schools")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["SA", "SA2", "SB"]
    assert lines[0] == "SA\tSchool A\tArea One\ten,es"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_errors_never_a_crash(data):
    parsed = parse_roster(data)
    assert all(line >= 1 for line, _ in parsed.errors)
    assert all(row.code and row.name and row.area for row in parsed.rows)


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells, cells, cells), max_size=8))
def test_every_row_is_accepted_or_reported_exactly_once(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "name", "area", "address", "languages"])
    writer.writerows(rows)
    parsed = parse_roster(buffer.getvalue().encode())
    non_blank = [row for row in rows if any(cell.strip() for cell in row)]
    assert len(parsed.rows) + len(parsed.errors) == len(non_blank)
    codes = [row.code.lower() for row in parsed.rows]
    assert len(codes) == len(set(codes))
