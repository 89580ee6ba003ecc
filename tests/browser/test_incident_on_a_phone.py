"""On a phone, in Spanish: a member of the front office starts an incident,
follows the steps, types an administrative warrant and is told not to
consent; nobody acknowledges, so the alert climbs to the area office (a test
clock, not a sleep), and the area office acknowledges. Entries made without a
network are kept on the phone and recorded once when it returns."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from safezones.accounts.devices import current_code
from safezones.campus.alerts import escalate_due
from safezones.campus.models import Incident, TimelineEntry
from tests.browser.conftest import submit
from tests.browser.screens import shot
from tests.browser.test_sign_in_on_a_phone import PHONE, assert_fits_the_screen
from tests.conftest import PASSWORD, Cast, confirmed_totp

WARRANT = (
    "DEPARTMENT OF HOMELAND SECURITY\nU.S. Immigration and Customs Enforcement\n"
    "WARRANT FOR ARREST OF ALIEN\nForm I-200\nSigned: Supervisory Deportation Officer"
)

pytestmark = pytest.mark.browser_context_args(
    viewport=PHONE, is_mobile=True, device_scale_factor=2, has_touch=True, locale="es-MX"
)


def phone(new_context: Callable[..., BrowserContext]) -> Page:
    """Another phone, watched like the first (nothing may reach another origin)."""
    context = new_context()  # the phone and language of the test's marker
    return context.new_page()


def signed_in(page: Page, cast: Cast, person: str) -> Page:
    """Password, then the second factor, on pages shown in Spanish."""
    user = getattr(cast, person)
    app = confirmed_totp(user)
    page.goto("/accounts/sign-in/")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, page.locator("main button[type=submit]"), tap=True)
    expect(page).to_have_url(re.compile(r"/accounts/verify/"))
    page.locator("input[name=code]").fill(current_code(app))
    submit(page, page.locator("main button[type=submit]"), tap=True)
    expect(page).to_have_url(re.compile(r"/staff/$"))
    return page


def test_an_incident_from_start_to_acknowledgement(
    page: Page, new_context: Callable[..., BrowserContext], cast: Cast
) -> None:
    signed_in(page, cast, "staff_a")
    page.goto("/staff/incidents/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    shot(page, "staff-start")
    submit(page, page.get_by_role("button", name="Agentes de inmigración en la escuela"), tap=True)
    expect(page).to_have_url(re.compile(r"/staff/incidents/[0-9a-f-]{36}/$"))
    expect(page.get_by_text("Diga a los agentes:").first).to_be_visible()
    expect(page.locator("blockquote[lang=en]").first).to_contain_text("site administrator")
    assert_fits_the_screen(page)
    shot(page, "staff-steps")

    submit(page, page.get_by_role("button", name=re.compile("Pedí a los agentes que esperen")), tap=True)
    expect(page.locator("#step-greet .done")).to_have_count(1)

    page.get_by_label("Escriba el texto del documento").fill(WARRANT)
    submit(page, page.get_by_role("button", name="Revisar y registrar"), tap=True)
    result = page.locator(".document-result").first
    expect(result).to_contain_text("Orden administrativa")
    expect(result).to_contain_text("No dé su consentimiento")
    shot(page, "staff-document-check")

    incident = Incident.objects.get()
    assert incident.alert_level == 1
    assert escalate_due(timezone.now() + timedelta(minutes=4)) == 1  # nobody acknowledged in time

    area = signed_in(phone(new_context), cast, "area_1_office")
    alert = area.get_by_role("alert")
    expect(alert).to_contain_text("School A")
    shot(area, "area-alert")
    submit(area, alert.get_by_role("button", name="Confirmar"), tap=True)
    incident.refresh_from_db()
    assert incident.acknowledged_by == cast.area_1_office
    assert escalate_due(timezone.now() + timedelta(minutes=30)) == 0
    page.reload()
    expect(page.get_by_text(re.compile("Confirmado a las"))).to_be_visible()


@pytest.mark.browser_context_args(
    viewport=PHONE, is_mobile=True, device_scale_factor=2, has_touch=True, locale="es-MX", service_workers="allow"
)
def test_entries_made_offline_are_sent_once_when_the_network_returns(
    new_context: Callable[..., BrowserContext], cast: Cast
) -> None:
    staff = signed_in(phone(new_context), cast, "staff_a")
    staff.goto("/staff/incidents/")
    submit(staff, staff.get_by_role("button", name="Agentes de inmigración en la escuela"), tap=True)
    expect(staff).to_have_url(re.compile(r"/staff/incidents/[0-9a-f-]{36}/$"))
    url = staff.url
    staff.evaluate("navigator.serviceWorker.ready.then(() => true)")
    staff.reload()  # now the service worker controls the page and keeps a copy

    staff.context.set_offline(True)
    staff.get_by_role("button", name=re.compile("Pedí a los agentes que esperen")).tap()
    status = staff.locator("#offline-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("1")
    staff.goto(url)  # readable offline: the service worker's copy
    expect(staff.get_by_text("Diga a los agentes:").first).to_be_visible()

    staff.context.set_offline(False)
    staff.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_be_hidden()
    staff.evaluate("window.dispatchEvent(new Event('online'))")  # a second flush sends nothing more
    entries = TimelineEntry.objects.filter(kind="checked")
    assert entries.count() == 1
    assert entries.get().noted_at is not None
