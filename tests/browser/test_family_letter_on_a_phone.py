"""On a phone, in Spanish: a family finds the family pages, writes the "ask
your school" letter and receives it as a PDF that cites the district's policy,
and looks through the resource directory. The screenshots illustrate the
family guide in docs/."""

import io
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from safezones.families.models import Resource
from tests.browser.conftest import submit
from tests.browser.screens import shot
from tests.browser.test_sign_in_on_a_phone import PHONE, assert_fits_the_screen
from tests.conftest import Cast

pytestmark = pytest.mark.browser_context_args(
    viewport=PHONE, is_mobile=True, device_scale_factor=2, has_touch=True, locale="es-MX"
)


def test_a_family_writes_the_letter_and_receives_a_pdf(page: Page, cast: Cast) -> None:
    page.goto("/help/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_fits_the_screen(page)
    shot(page, "family-help-es")

    page.get_by_role("link", name="Pregunte a su escuela").first.click()
    page.get_by_label("Escuela", exact=True).select_option("SA")
    page.get_by_label("¿Cómo aplica la escuela el protocolo de Zonas Seguras?").check()
    assert_fits_the_screen(page)
    shot(page, "family-letter-form-es")
    submit(page, page.get_by_role("button", name="Escribir la carta"), tap=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Su carta")
    letter = page.locator("pre.letter")
    expect(letter).to_contain_text("REF-1")
    assert_fits_the_screen(page)
    shot(page, "family-letter-es")

    with page.expect_download() as downloaded:
        page.locator("button[name=pdf]").tap()
    download = downloaded.value
    assert download.suggested_filename == "letter-sa.pdf"
    path = download.path()
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(part.extract_text().split()) for part in PdfReader(io.BytesIO(data)).pages)
    assert "REF-1" in text  # the district's policy, by number
    assert "School A" in text
    assert "¿Cómo aplica la escuela el protocolo de Zonas Seguras?" in text  # in the family's language


def test_a_family_looks_through_the_directory(page: Page, cast: Cast) -> None:
    Resource.objects.create(
        kind="legal_aid",
        name="Clínica Legal Inventada",
        description="Consultas gratuitas",
        phone="213-555-0101",
        languages=["en", "es"],
        hours="Lunes a viernes, 9 a 5",
        last_verified=date(2026, 10, 1),
    )
    Resource.objects.create(
        kind="rapid_response",
        name="Línea de Respuesta Rápida Inventada",
        phone="213-555-0102",
        languages=["en", "es", "ko"],
        hours="24 horas",
        last_verified=date(2026, 9, 15),
    )
    page.goto("/help/resources/")
    expect(page.locator("main")).to_contain_text("Clínica Legal Inventada")
    assert_fits_the_screen(page)
    shot(page, "family-resources-es")
