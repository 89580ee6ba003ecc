import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safezones.readiness.actions import attest_item, take_snapshots
from safezones.readiness.checklist import district_today
from safezones.readiness.models import StaffMember, TrainingCompletion
from safezones.schools.models import School
from tests.readiness.conftest import file_case

PAGES = ["/staff/readiness/", "/staff/readiness/areas/A1/", "/staff/readiness/report/", "/staff/readiness/export.csv"]


def _add_schools(cast, count: int) -> None:
    today = district_today(cast.district)
    start = School.objects.count()
    for index in range(count):
        school = School.objects.create(area=cast.area_1, code=f"X{start + index}", name=f"Extra {index}")
        attest_item(cast.admin_a, "site_admin", school, "printed-protocol", on=today)
        member = StaffMember.objects.create(employee_id=school.code, school=school, role="front_office")
        TrainingCompletion.objects.create(staff=member, course="Safe Zones protocol", completed_on=today)
        file_case(school, kind="report", on=today)


def _queries(client, path: str) -> int:
    """Queries of one request with nothing cached: the costly case."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_the_number_of_queries_does_not_grow_with_the_schools(cast, as_user, path):
    client = as_user(cast.district_office)
    _add_schools(cast, 2)
    client.get(path)  # the first request of a session writes to it
    few = _queries(client, path)
    _add_schools(cast, 10)
    assert _queries(client, path) == few


def test_the_area_office_sees_only_its_schools(cast, as_user):
    response = as_user(cast.area_1_office).get("/staff/readiness/")
    assert [row.school.code for row in response.context["rows"]] == ["SA", "SA2"]
    board = as_user(cast.board).get("/staff/readiness/")
    assert {row.school.code for row in board.context["rows"]} == {"SA", "SA2", "SB"}
    assert b'href="/staff/readiness/schools/' not in board.content  # the board sees figures, not schools' pages


def test_the_dashboard_shows_scores_charts_and_open_cases(cast, as_user):
    today = district_today(cast.district)
    attest_item(cast.admin_a, "site_admin", cast.school_a, "printed-protocol", on=today)
    file_case(cast.school_a, kind="request", on=today)
    take_snapshots(School.objects.all(), cast.district, today)
    response = as_user(cast.district_office).get("/staff/readiness/")
    page = response.content.decode()
    school_a = next(row for row in response.context["rows"] if row.school.code == "SA")
    assert school_a.met == 1
    assert school_a.score == round(100 / 12)
    assert school_a.below_threshold
    assert school_a.cases.open == 1
    assert len(response.context["below"]) == 3
    assert page.count('<svg class="chart"') == 2
    assert "<script" not in page.split("<main")[1]
    assert "Table view" in page


def test_the_csv_exports_match_the_tables(cast, as_user):
    today = district_today(cast.district)
    attest_item(cast.admin_a, "site_admin", cast.school_a, "printed-protocol", on=today)
    take_snapshots(School.objects.all(), cast.district, today)
    client = as_user(cast.area_1_office)
    schools = list(csv.reader(io.StringIO(client.get("/staff/readiness/export.csv?table=schools").content.decode())))
    assert schools[0][:4] == ["school", "name", "area", "score"]
    assert [row[0] for row in schools[1:]] == ["SA2", "SA"]
    bands = list(csv.reader(io.StringIO(client.get("/staff/readiness/export.csv?table=distribution").content.decode())))
    assert bands[1] == ["0-9", "2"]
    trend = list(csv.reader(io.StringIO(client.get("/staff/readiness/export.csv?table=trend").content.decode())))
    assert trend[1] == [today.isoformat(), str(round((round(100 / 12) + 0) / 2))]
    assert client.get("/staff/readiness/export.csv?table=people").status_code == 404
    assert client.get("/staff/readiness/export.csv?area=A2").status_code == 404


def test_the_annual_report_comes_as_html_pdf_and_csv(cast, as_user):
    client = as_user(cast.board)
    page = client.get("/staff/readiness/report/")
    assert b"Annual readiness report" in page.content
    pdf = client.get("/staff/readiness/report/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    table = client.get("/staff/readiness/report/?format=csv")
    assert table["Content-Type"].startswith("text/csv")
    assert len(table.content.decode().strip().splitlines()) == 4  # header and three schools


def test_the_table_rows_escape_names_and_link_only_when_the_reader_may_open_schools(cast, as_user):
    cast.school_a.name = 'School <A> & "Co"'
    cast.school_a.save()
    district_page = as_user(cast.district_office).get("/staff/readiness/").content.decode()
    assert "School &lt;A&gt; &amp; &quot;Co&quot;" in district_page
    assert "School <A>" not in district_page
    assert '<a href="/staff/readiness/schools/SA/">' in district_page
    assert '<strong class="error">below threshold</strong>' in district_page
    board_page = as_user(cast.board).get("/staff/readiness/").content.decode()
    assert "School &lt;A&gt;" in board_page
    assert "/staff/readiness/schools/" not in board_page


def test_the_table_rows_speak_the_readers_language(cast, as_user):
    client = as_user(cast.district_office)
    page = client.get("/staff/readiness/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<strong class="error">below threshold</strong>' not in page
    assert '<strong class="error">' in page


def test_the_trend_is_counted_again_when_a_new_score_is_taken(cast, as_user):
    today = district_today(cast.district)
    take_snapshots(School.objects.all(), cast.district, today)
    client = as_user(cast.district_office)
    before = dict(client.get("/staff/readiness/").context["trend"])[today]
    with CaptureQueriesContext(connection) as kept:
        assert dict(client.get("/staff/readiness/").context["trend"])[today] == before
    assert not any("AVG" in query["sql"] for query in kept.captured_queries), "the trend was not kept"

    for key in ("printed-protocol", "non-public-signs", "lead-administrator"):
        attest_item(cast.admin_a, "site_admin", cast.school_a, key, on=today)
    take_snapshots(School.objects.all(), cast.district, today)
    after = dict(client.get("/staff/readiness/").context["trend"])[today]
    assert after > before
