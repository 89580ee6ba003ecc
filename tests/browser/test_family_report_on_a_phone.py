"""A family files an anonymous report in Spanish on a phone, writes down the
receipt, later reads the area office's reply and answers it; the school's own
administrator never sees the report."""

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from safezones.accounts.devices import current_code
from safezones.families.models import FamilyCase
from tests.browser.conftest import submit
from tests.browser.screens import shot
from tests.browser.test_sign_in_on_a_phone import PHONE, assert_fits_the_screen, sign_in_with_password, type_code
from tests.conftest import Cast, confirmed_totp

pytestmark = pytest.mark.browser_context_args(
    viewport=PHONE, is_mobile=True, device_scale_factor=3, has_touch=True, locale="es-MX"
)


def staff_page(browser: Browser, base_url: str, cast: Cast, person: str) -> Page:
    """Another phone, for a member of staff, signed in for real (so their key opens)."""
    viewport: ViewportSize = {"width": PHONE["width"], "height": PHONE["height"]}
    context = browser.new_context(base_url=base_url, viewport=viewport, is_mobile=True, has_touch=True)
    page = context.new_page()
    user = getattr(cast, person)
    app = confirmed_totp(user)
    sign_in_with_password(page, user)
    type_code(page, current_code(app), "Sign in")
    return page


def test_a_family_reports_follows_up_and_answers(page: Page, browser: Browser, base_url: str, cast: Cast) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("link", name="Reportar un problema").first.click()
    assert_fits_the_screen(page)
    page.get_by_label("Escuela").select_option("SA")
    page.get_by_label("Se le preguntó a una familia o a un estudiante sobre su estatus migratorio").check()
    page.get_by_label("Describa lo que pasó").fill("En la oficina le preguntaron a mi hijo por sus papeles")
    shot(page, "family-report-es")
    submit(page, page.get_by_role("button", name="Enviar reporte"), tap=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Lo recibimos")
    receipt = page.locator("p.secret code").inner_text()
    assert re.fullmatch(r"\d{5}(-\d{5}){4}", receipt)
    assert receipt not in page.url
    assert_fits_the_screen(page)
    shot(page, "family-receipt-es")
    case = FamilyCase.objects.get()

    office = staff_page(browser, base_url, cast, "area_1_office")
    office.goto(f"/staff/cases/{case.pk}/")
    expect(office.locator("main")).to_contain_text("le preguntaron a mi hijo por sus papeles")
    office.get_by_label("Message").fill("Gracias. ¿En qué fecha pasó?")
    submit(office, office.get_by_role("button", name="Save message"))

    school_admin = staff_page(browser, base_url, cast, "admin_a")
    response = school_admin.goto(f"/staff/cases/{case.pk}/")
    assert response is not None
    assert response.status == 404

    page.goto("/help/follow-up/")
    page.get_by_label("Su número de comprobante").fill(receipt.replace("-", " "))
    submit(page, page.get_by_role("button", name="Ver mi caso"), tap=True)
    expect(page.locator("main")).to_contain_text("¿En qué fecha pasó?")
    page.get_by_label("Agregue información o responda una pregunta").fill("Fue el lunes 2 de noviembre")
    submit(page, page.get_by_role("button", name="Enviar"), tap=True)
    expect(page.locator("main")).to_contain_text("Su mensaje se guardó.")
    expect(page.locator("main")).to_contain_text("Fue el lunes 2 de noviembre")
    shot(page, "family-follow-up-es")

    office.reload()
    expect(office.locator("main")).to_contain_text("Fue el lunes 2 de noviembre")
