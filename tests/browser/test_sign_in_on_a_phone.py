"""A member of staff signs in on a phone: password, then the second factor
(set up on the spot, or with the authenticator app they already have), lands
on the staff home and switches the site to Spanish."""

import base64
import binascii
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safezones.accounts.devices import current_code
from safezones.accounts.models import User
from tests.browser.conftest import submit
from tests.conftest import PASSWORD, Cast, confirmed_totp

PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, device_scale_factor=3, has_touch=True)


def device_from_key(spaced_key: str) -> TOTPDevice:
    """What an authenticator app holds after the person types the key shown."""
    secret = "".join(spaced_key.split()).upper()
    padded = secret + "=" * (-len(secret) % 8)
    return TOTPDevice(key=binascii.hexlify(base64.b32decode(padded)).decode())


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that are not any code the server would accept around now."""
    near = {
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + shift).token():06d}"
        for shift in range(-3, 4)
    }
    return next(code for code in (f"{n:06d}" for n in range(123456, 1_000_000, 111111)) if code not in near)


def sign_in_with_password(page: Page, user: User) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Continue"), tap=True)


def type_code(page: Page, code: str, button: str) -> None:
    page.get_by_label("Six-digit code from your authenticator app").fill(code)
    submit(page, page.get_by_role("button", name=button), tap=True)


# The last element that passes the screen or spills its content, so a failure names its cause.
WIDEST_ELEMENT = """(limit) => {
  let found = "none";
  for (const el of document.body.querySelectorAll("*")) {
    const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible";
    if (el.getBoundingClientRect().right > limit || spills) {
      const name = el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
      found = name + ": " + (el.textContent || "").trim().slice(0, 80);
    }
  }
  return found;
}"""

# A page is measured as a person sees it: with its stylesheets applied. The
# heading a test waits for can be in the document before they have loaded.
STYLESHEETS_APPLIED = "() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).every((link) => link.sheet)"


def assert_fits_the_screen(page: Page) -> None:
    page.wait_for_function(STYLESHEETS_APPLIED)
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate(WIDEST_ELEMENT, PHONE["width"])
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone: {width}px wide ({widest})"


def assert_on_staff_home(page: Page, user: User) -> None:
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {user.name}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_fits_the_screen(page)


def switch_to_spanish(page: Page) -> None:
    switcher = page.locator("header form.lang")
    language = switcher.get_by_label("Language")
    expect(language).to_be_visible()
    expect(
        language.locator("option[value='es']"), "the language switcher offers no Spanish (no catalogue yet?)"
    ).to_have_count(1)
    language.select_option("es")
    submit(page, switcher.get_by_role("button"), tap=True)


def assert_in_spanish(page: Page, user: User) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hola, {user.name}")
    expect(page.locator("#language")).to_have_value("es")
    expect(page.locator("header nav").get_by_role("button")).to_have_text("Cerrar sesión")
    assert_fits_the_screen(page)


def test_a_person_without_a_second_factor_enrols_then_reads_spanish(page: Page, cast: Cast) -> None:
    person = cast.staff_a
    assert not TOTPDevice.objects.filter(user=person).exists()

    sign_in_with_password(page, person)
    expect(page).to_have_url(re.compile(r"/accounts/enroll/\?next=/staff/$"))
    expect(page.locator("figure.qr svg")).to_be_visible()  # drawn here, not fetched
    assert_fits_the_screen(page)

    app = device_from_key(page.locator("figure.qr code").inner_text())
    type_code(page, current_code(app), "Confirm and sign in")

    assert_on_staff_home(page, person)
    expect(page.get_by_role("status")).to_contain_text("Your authenticator app is set up.")
    assert TOTPDevice.objects.filter(user=person, confirmed=True).count() == 1

    switch_to_spanish(page)
    expect(page).to_have_url(re.compile(r"/staff/$"))
    assert_in_spanish(page, person)


def test_a_person_with_an_authenticator_app_passes_the_second_step(page: Page, cast: Cast) -> None:
    person = cast.staff_a
    app = confirmed_totp(person)

    sign_in_with_password(page, person)
    expect(page).to_have_url(re.compile(r"/accounts/verify/\?next=/staff/$"))
    assert_fits_the_screen(page)
    type_code(page, current_code(app), "Sign in")

    assert_on_staff_home(page, person)

    switch_to_spanish(page)
    assert_in_spanish(page, person)
    page.reload()
    assert_in_spanish(page, person)


@pytest.mark.parametrize(
    ("has_app", "step", "button"),
    [(False, "enroll", "Confirm and sign in"), (True, "verify", "Sign in")],
    ids=["enrolment", "second-step"],
)
def test_a_wrong_code_shows_an_error_and_does_not_sign_in(
    page: Page, cast: Cast, has_app: bool, step: str, button: str
) -> None:
    person = cast.staff_a
    if has_app:
        confirmed_totp(person)

    sign_in_with_password(page, person)
    expect(page).to_have_url(re.compile(rf"/accounts/{step}/"))
    app = TOTPDevice.objects.get(user=person)
    type_code(page, wrong_code(app), button)

    expect(page).to_have_url(re.compile(rf"/accounts/{step}/"))
    code = page.get_by_label("Six-digit code from your authenticator app")
    expect(page.locator(".field.has-error .error")).to_have_text(
        "That code is not right. Check the time on your phone and try again."
    )
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert TOTPDevice.objects.get(user=person).confirmed is has_app

    page.goto("/staff/")
    expect(page).to_have_url(re.compile(rf"/accounts/{step}/\?next=/staff/$"))
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Hello")
