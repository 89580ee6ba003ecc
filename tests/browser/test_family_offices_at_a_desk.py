"""The offices that answer families, at a desk: the district office reads its
inbox, opens a case with its own key and answers the family, then keeps the
resource directory: adds an entry and marks a stale one as verified. The
screenshots illustrate the reviewer guide in docs/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safezones.families.actions import Submission, file_case
from safezones.families.models import FamilyCase, Resource
from tests.browser.conftest import submit
from tests.browser.screens import shot
from tests.browser.test_district_office import sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-US")


def test_the_district_office_answers_a_family_and_keeps_the_directory(page: Page, cast: Cast) -> None:
    file_case(
        Submission(
            kind=FamilyCase.Kind.REQUEST,
            school=cast.school_a,
            language="es",
            content={"message": "Necesitamos un abogado para mi tío."},
            needs=["legal_help", "counseling"],
        )
    )
    file_case(
        Submission(
            kind=FamilyCase.Kind.REPORT,
            school=cast.school_b,
            language="en",
            content={"description": "The office gave a visitor our address."},
            report_kind="info_shared",
        )
    )
    sign_in(page, cast)

    page.get_by_role("link", name="Family cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family cases")
    expect(page.locator("tbody tr")).to_have_count(2)
    shot(page, "staff-family-inbox")

    page.get_by_role("row", name="School A").get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("Necesitamos un abogado para mi tío.")
    page.get_by_label("Message").fill("Hola. Una abogada de la clínica la llamará esta semana.")
    submit(page, page.get_by_role("button", name="Save message"))
    expect(page.locator("main")).to_contain_text("Una abogada de la clínica")
    shot(page, "staff-family-case")

    Resource.objects.create(
        kind="rapid_response",
        name="Invented Rapid Response Hotline",
        phone="213-555-0102",
        languages=["en", "es", "ko"],
        last_verified=timezone.localdate() - timedelta(days=220),
    )
    Resource.objects.create(
        kind="counseling",
        name="Invented Family Counseling Center",
        languages=["en", "es"],
        cost="low",
        last_verified=date(2026, 10, 20),
    )
    page.goto("/staff/cases/")
    page.get_by_role("link", name="Resource directory").click()
    page.get_by_role("link", name="Add an entry").click()
    page.get_by_label("Kind of help").select_option("legal_aid")
    page.get_by_label("Name").fill("Invented Legal Aid Clinic")
    page.get_by_label("Languages").fill("en, es")
    page.get_by_label("Area One").check()
    page.get_by_label("Last verified").fill("2026-11-02")
    submit(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".messages")).to_contain_text("Invented Legal Aid Clinic was added to the directory.")
    stale = page.get_by_role("row", name="Invented Rapid Response Hotline")
    expect(stale).to_contain_text("check it")
    shot(page, "staff-resource-directory")

    submit(page, stale.get_by_role("button", name="Verified today"))
    expect(page.get_by_role("row", name="Invented Rapid Response Hotline")).not_to_contain_text("check it")
    assert Resource.objects.get(name="Invented Rapid Response Hotline").last_verified == timezone.localdate(
        timezone=cast.district.zone
    )
