from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction

from safezones.audit.models import AuditEvent
from safezones.readiness.checklist import district_today
from safezones.readiness.models import StaffMember, TrainingCompletion
from safezones.readiness.queries import State, readiness_of
from safezones.readiness.training import parse_training
from safezones.schools.models import School


def _csv(cast, *lines: str) -> bytes:
    return ("employee_id,school,course,completion_date,role\n" + "\n".join(lines) + "\n").encode()


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("training.csv", data, content_type="text/csv")


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_applied(cast, as_user):
    today = district_today(cast.district).isoformat()
    tomorrow = (district_today(cast.district) + timedelta(days=1)).isoformat()
    data = _csv(
        cast,
        f"E1,SA,Safe Zones protocol,{today},front_office",
        f"E2,NOPE,Safe Zones protocol,{today},teacher",
        "E3,SA,Safe Zones protocol,12/01/2026,teacher",
        f"E4,SA,Safe Zones protocol,{tomorrow},janitor",
        f"E1,SB,Safe Zones protocol,{today},front_office",
    )
    response = as_user(cast.district_office).post("/staff/readiness/training/", {"file": _upload(data)})
    assert response.status_code == 400
    errors = dict(response.context["errors"])
    assert set(errors) == {3, 4, 5, 6}
    assert "NOPE" in errors[3]
    assert "YYYY-MM-DD" in errors[4]
    assert "in the future" in errors[5]
    assert "role" in errors[5]
    assert "line 2" in errors[6]
    assert not StaffMember.objects.exists()
    assert not TrainingCompletion.objects.exists()


def test_a_good_file_adds_staff_and_completions_once(cast, as_user):
    today = district_today(cast.district).isoformat()
    data = _csv(
        cast,
        f"E1,SA,Safe Zones protocol,{today},front_office",
        f"E2,sa,Safe Zones protocol,{today},front_office",
        f"E3,SA,Other course,{today},teacher",
        f"E4,SB,safe zones PROTOCOL,{today},",
    )
    client = as_user(cast.district_office)
    response = client.post("/staff/readiness/training/", {"file": _upload(data)})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.staff_added, summary.completions_added) == (4, 4)
    again = client.post("/staff/readiness/training/", {"file": _upload(data)})
    assert again.context["summary"].completions_added == 0
    assert TrainingCompletion.objects.count() == 4
    rows = readiness_of(
        School.objects.filter(code__in=["SA", "SB"]).order_by("code"), cast.district, district_today(cast.district)
    )
    school_a, school_b = rows
    assert (school_a.training.staff, school_a.training.trained) == (3, 2)
    assert school_a.training.by_role == {"front_office": (2, 2), "teacher": (1, 0)}
    states = {status.item.key: status.state for status in school_a.items}
    assert states["front-office-trained"] == State.RECORDED
    assert states["all-staff-trained"] == State.MISSING  # 2 of 3 is under the 90% target
    assert (school_b.training.staff, school_b.training.trained) == (1, 1)
    assert StaffMember.objects.get(employee_id="E4").role == "other"
    assert AuditEvent.objects.filter(action="readiness.training.import", role="district_office").count() == 2


def test_training_from_last_school_year_does_not_count(cast):
    from safezones.readiness.actions import import_training

    today = district_today(cast.district)
    last_year = today - timedelta(days=400)
    parsed = parse_training(
        _csv(cast, f"E1,SA,Safe Zones protocol,{last_year.isoformat()},front_office"), {"SA"}, today
    )
    import_training(None, "system", cast.district, parsed.rows)
    row = readiness_of(School.objects.filter(code="SA"), cast.district, today)[0]
    assert (row.training.staff, row.training.trained) == (1, 0)


def test_a_file_without_the_columns_is_refused(cast):
    parsed = parse_training(b"id,school\n1,SA\n", {"SA"}, district_today(cast.district))
    assert parsed.errors == [(1, "Missing columns: employee_id, course, completion_date.")]


def test_the_command_imports_or_changes_nothing(cast, tmp_path):
    today = district_today(cast.district).isoformat()
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(cast, f"E1,SA,Safe Zones protocol,{today},teacher"))
    call_command("import_training", str(good))
    assert TrainingCompletion.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(cast, f"E2,SA,Safe Zones protocol,{today},teacher", "E3,XX,Course,2020-01-01,"))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_training", str(bad))
    assert not StaffMember.objects.filter(employee_id="E2").exists()


@pytest.mark.django_db(transaction=True)
def test_dashboards_keep_the_training_figures_until_training_is_imported_again(cast, as_user):
    """Outside a transaction the counted figures are kept. An import that
    commits counts them again at once, so the next page reads the new
    figures without counting; one that fails changes nothing. With nothing
    kept (the cache emptied) the page counts for itself."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safezones.readiness.actions import import_training

    today = district_today(cast.district)
    client = as_user(cast.district_office)

    def figures() -> tuple[tuple[int, int], bool]:
        with CaptureQueriesContext(connection) as captured:
            rows = {row.school.code: row for row in client.get("/staff/readiness/").context["rows"]}
        counted = any("readiness_staffmember" in query["sql"] for query in captured.captured_queries)
        return (rows["SA"].training.staff, rows["SA"].training.trained), counted

    def rows(*lines: str):
        return parse_training(_csv(cast, *lines), {"SA", "SB"}, today).rows

    cache.clear()  # the database cache's table outlives other tests' data
    assert figures() == ((0, 0), True)
    assert figures() == ((0, 0), False), "the figures were counted again with nothing imported"

    import_training(None, "district_office", cast.district, rows(f"E1,SA,Safe Zones protocol,{today},front_office"))
    assert figures() == ((1, 1), False)

    import_training(None, "district_office", cast.district, rows(f"E2,SA,Other course,{today},teacher"))
    assert figures() == ((2, 1), False)

    def import_then_fail() -> None:
        with transaction.atomic():
            import_training(None, "district_office", cast.district, rows(f"E3,SA,Safe Zones protocol,{today},teacher"))
            raise RuntimeError("the import's transaction fails after it")

    with pytest.raises(RuntimeError):
        import_then_fail()
    assert figures() == ((2, 1), False)

    cache.clear()
    assert figures() == ((2, 1), True)
    assert figures() == ((2, 1), False)
