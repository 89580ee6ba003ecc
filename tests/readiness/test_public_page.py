from datetime import timedelta

from django.utils import translation
from django.utils.translation import gettext

from safezones.families.models import Resource
from safezones.readiness.actions import add_partner, attest_item, verify_item
from safezones.readiness.checklist import district_today
from tests.readiness.conftest import file_case


def test_the_public_page_needs_no_sign_in_and_names_no_one(cast, client):
    today = district_today(cast.district)
    attest_item(cast.admin_a, "site_admin", cast.school_a, "printed-protocol", on=today, note="Kept by Ana Secret")
    verify_item(cast.area_1_office, "area_office", cast.school_a, "printed-protocol")
    response = client.get("/schools/SA/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "School A" in page
    assert "A printed protocol at the front office" in page
    assert "Ana Secret" not in page
    assert "ana@a.test" not in page
    assert "carla" not in page
    assert "<script" not in page.split("</head>")[1]  # the page works without script
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


def test_an_unknown_school_answers_404(cast, client):
    assert client.get("/schools/NOPE/").status_code == 404


def test_three_reports_show_as_fewer_than_five(cast, client):
    for _ in range(3):
        file_case(cast.school_a, kind="report", status="resolved", on=district_today(cast.district))
    file_case(cast.school_a, kind="request")  # a request for help is not a report
    page = client.get("/schools/SA/")
    assert page.context["reports_received"] == "fewer than 5"
    assert page.context["reports_resolved"] == "fewer than 5"
    assert b"fewer than 5" in page.content


def test_five_reports_or_more_are_counted_exactly(cast, client):
    today = district_today(cast.district)
    for index in range(6):
        file_case(cast.school_a, kind="report", status="resolved" if index < 5 else "received", on=today)
    file_case(cast.school_b, kind="report", on=today)
    page = client.get("/schools/SA/")
    assert (page.context["reports_received"], page.context["reports_resolved"]) == ("6", "5")


def test_the_page_answers_in_spanish(cast, client):
    attest_item(cast.admin_a, "site_admin", cast.school_a, "printed-protocol", on=district_today(cast.district))
    response = client.get("/schools/SA/", headers={"accept-language": "es"})
    page = response.content.decode()
    assert '<html lang="es">' in page
    with translation.override("es"):
        for english in ("How does the school carry out the protocol?", "A printed protocol at the front office"):
            assert gettext(english) in page
        assert gettext("fewer than 5") in page


def test_partners_workshops_and_training_are_shown(cast, client):
    today = district_today(cast.district)
    legal = Resource.objects.create(
        kind="legal_aid", name="Clinic of the Valley", phone="555-0101", last_verified=today
    )
    add_partner(cast.admin_a, "site_admin", cast.school_a, legal)
    from django.utils import timezone

    Resource.objects.create(
        kind="workshop", name="Rights Night", last_verified=today, starts_at=timezone.now() + timedelta(days=3)
    )
    page = client.get("/schools/SA/").content.decode()
    assert "Clinic of the Valley" in page
    assert "Rights Night" in page
    assert "training records yet this school year" in page
