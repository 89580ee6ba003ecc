"""The resource directory: the district's file, what families find, and the workshop calendar."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from safezones.families.models import Resource

FILE = """kind,name,description,phone,languages,areas,cost,hours,last_verified,starts_at
legal_aid,Invented Legal Aid Clinic,Free consultations,213-555-0101,en;es,A1,free,Mon-Fri 9-5,2026-10-01,
rapid_response,Invented Hotline,Call if agents are seen,213-555-0102,en;es;ko,,free,24 hours,2026-01-15,
workshop,"Know Your Rights, evening session",For families,,es,A1,free,,2026-11-01,2099-12-05 18:30
"""


def _import(tmp_path, text: str) -> None:
    path = tmp_path / "resources.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_resources", str(path))


def test_the_file_fills_the_directory_and_a_second_import_updates(cast, tmp_path, capsys):
    _import(tmp_path, FILE)
    _import(tmp_path, FILE)
    assert "0 created, 3 updated" in capsys.readouterr().out.splitlines()[-1]
    clinic = Resource.objects.get(name="Invented Legal Aid Clinic")
    assert clinic.languages == ["en", "es"]
    assert [area.code for area in clinic.areas.all()] == ["A1"]


def test_every_bad_row_is_reported_and_nothing_changes(cast, tmp_path, capsys):
    bad = FILE + "tutoring,Unknown Kind,,,en,,free,,2026-01-01,\nlegal_aid,,,,en,ZZ,pricey,,yesterday,\n"
    with pytest.raises(CommandError, match="2 row"):
        _import(tmp_path, bad)
    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith("line 5: The kind must be one of")
    assert errors[1].startswith("line 6: The name is empty.")
    assert "area code is not known" in errors[1]
    assert "last_verified must be a date" in errors[1]
    assert not Resource.objects.exists()


def test_families_filter_by_kind_language_and_area(cast, tmp_path):
    _import(tmp_path, FILE)
    family = Client(HTTP_ACCEPT_LANGUAGE="es")
    korean = family.get("/help/resources/", {"language": "ko"}).context["resources"]
    assert [r.name for r in korean] == ["Invented Hotline"]
    area_two = family.get("/help/resources/", {"area": "A2"}).context["resources"]
    assert [r.name for r in area_two] == ["Invented Hotline"]  # serves every area
    legal = family.get("/help/resources/", {"kind": "legal_aid"}).content.decode()
    assert "Invented Legal Aid Clinic" in legal
    assert "Invented Hotline" not in legal


def test_entries_not_checked_for_six_months_are_flagged(cast, tmp_path):
    _import(tmp_path, FILE)
    today = timezone.localdate()
    hotline = Resource.objects.get(name="Invented Hotline")
    hotline.last_verified = today - timedelta(days=200)
    assert hotline.needs_checking(today)
    hotline.last_verified = today - timedelta(days=30)
    assert not hotline.needs_checking(today)


def test_workshops_are_an_icalendar_feed(cast, tmp_path):
    _import(tmp_path, FILE)
    response = Client().get("/help/resources/workshops.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Know Your Rights\\, evening session\r\n" in body
    assert "DTSTART:20991206T023000Z" in body  # 18:30 in Los Angeles
    assert body.count("BEGIN:VEVENT") == 1
