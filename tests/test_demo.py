import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from safezones.accounts.models import User
from safezones.demo import ACCOUNTS, RealDataError, load_demo
from safezones.schools.models import Area, Role, School


def test_the_demo_district_has_three_areas_twelve_schools_and_one_person_per_role(db):
    assert load_demo() is True
    assert Area.objects.count() == 3
    assert School.objects.count() == 12
    assert User.objects.filter(is_demo=True).count() == len(ACCOUNTS)
    assert {account.role for account in ACCOUNTS} == set(Role.values)


def test_it_loads_only_once(db):
    load_demo()
    assert load_demo() is False
    assert School.objects.count() == 12


def test_it_refuses_a_database_with_real_data(cast):
    with pytest.raises(RealDataError):
        load_demo()
    assert not User.objects.filter(is_demo=True).exists()


@override_settings(DEMO_MODE=True)
def test_demo_mode_refuses_to_serve_real_data(cast):
    with pytest.raises(CommandError, match="real data"):
        call_command("serve", "--bind", "127.0.0.1:1")


@override_settings(DEMO_MODE=True)
def test_the_second_step_shows_the_demo_code_in_demo_mode(db, client):
    load_demo()
    client.post("/accounts/sign-in/", {"email": ACCOUNTS[0].email, "password": "demo-safezones-2026"})
    page = client.get("/accounts/enroll/")
    assert page.context["demo_code"].isdigit()


def test_the_demo_shows_campus_response_without_sending_mail(db):
    from safezones.campus.models import CallDownContact, FamilyNotice, Incident, RecordsRequest
    from safezones.outbox.models import OutgoingMessage

    load_demo()
    assert Incident.objects.filter(drill=True, status="closed").count() == 1
    real = Incident.objects.get(drill=False)
    assert real.status == "closed"
    assert real.documents.get().kind == "administrative_warrant"
    assert FamilyNotice.objects.filter(status="published").count() == 2
    assert RecordsRequest.objects.get().status == "blocked"
    assert CallDownContact.objects.filter(school__code="N101", level=1).exists()
    assert not OutgoingMessage.objects.exists()
