"""A site administrator attests readiness items with evidence, the area
office verifies one, and a family reading the school's public page in
Spanish on a small phone sees the new answers; a school with three reports
of noncompliance shows "fewer than 5"."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from safezones.readiness.checklist import district_today
from tests.browser.conftest import submit
from tests.browser.test_family_report_on_a_phone import staff_page
from tests.conftest import Cast
from tests.readiness.conftest import file_case

SMALL = {"width": 320, "height": 640}


def _spanish(text: str) -> str:
    with translation.override("es"):
        return gettext(text)


@pytest.mark.browser_context_args(viewport=SMALL, locale="es-MX")
def test_attested_and_verified_items_reach_the_spanish_public_page(
    page: Page, browser: Browser, base_url: str, cast: Cast, tmp_path: Path
) -> None:
    today = district_today(cast.district)
    for _ in range(3):
        file_case(cast.school_a, kind="report", on=today)

    admin = staff_page(browser, base_url, cast, "admin_a")
    admin.goto("/staff/readiness/schools/SA/")
    photo = tmp_path / "signs.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n demo")
    for item in ("A printed protocol at the front office", "Signs that mark the non-public areas"):
        admin.get_by_label("Item").select_option(label=item)
        admin.get_by_label("Date it was done or checked").fill(today.isoformat())
        admin.get_by_label("Note").fill("At the front desk")
        admin.get_by_label("File").set_input_files(str(photo))
        submit(admin, admin.get_by_role("button", name="Attest", exact=True))
        expect(admin.locator(".messages")).to_contain_text("Attested.")

    office = staff_page(browser, base_url, cast, "area_1_office")
    office.goto("/staff/readiness/schools/SA/")
    office.locator("#item-printed-protocol").get_by_role("button", name="Verify").click()
    expect(office.locator(".messages")).to_contain_text("Verified.")

    page.goto("/schools/SA/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    main = page.get_by_role("main")
    expect(main).to_contain_text(_spanish("A printed protocol at the front office"))
    expect(main).to_contain_text(_spanish("Signs that mark the non-public areas"))
    expect(main).to_contain_text(_spanish("fewer than 5"))
    expect(main).not_to_contain_text("At the front desk")  # staff notes stay on the staff side
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL["width"], f"the public page scrolls sideways: {width} px wide"
