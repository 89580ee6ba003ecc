"""The district office at a desk: reads and republishes the protocol with a
mistake caught first, edits a school's call-down list, approves the families
notice a school asked for, and opens the board's report. The screenshots
illustrate the administrators' guide in docs/."""

import re

import pytest
from playwright.sync_api import Page, expect

from safezones.accounts.devices import current_code
from safezones.campus.actions import start_incident
from safezones.campus.models import CallDownContact, FamilyNotice, ProtocolVersion
from safezones.campus.notices import request_notice
from tests.browser.conftest import submit
from tests.browser.screens import shot
from tests.conftest import PASSWORD, Cast, confirmed_totp

pytestmark = pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-US")


def sign_in(page: Page, cast: Cast) -> None:
    user = cast.district_office
    app = confirmed_totp(user)
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Continue"))
    expect(page).to_have_url(re.compile(r"/accounts/verify/"))
    page.get_by_label("Six-digit code from your authenticator app").fill(current_code(app))
    submit(page, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_the_district_office_keeps_the_protocol_and_answers_schools(page: Page, cast: Cast) -> None:
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    request_notice(cast.admin_a, "site_admin", incident, "agents_present")
    sign_in(page, cast)

    page.get_by_role("link", name="Protocol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Immigration agents at a school")
    shot(page, "admin-protocol")

    page.get_by_role("link", name="Edit or import the protocol").click()
    source = page.get_by_label("The protocol (YAML)")
    original = source.input_value()
    source.fill(original.replace("  en: Immigration agents at a school\n", ""))
    submit(page, page.get_by_role("button", name="Check and publish"))
    expect(page.locator(".error-summary")).to_contain_text("title: the English text is missing")
    assert ProtocolVersion.objects.count() == 1
    shot(page, "admin-protocol-error")
    source.fill(original.replace("Greet the agents and ask them to wait", "Greet the agents; ask them to wait"))
    page.get_by_label("What changed").fill("Shorter first step")
    submit(page, page.get_by_role("button", name="Check and publish"))
    expect(page.get_by_text("Version 2 is published.")).to_be_visible()

    page.goto(f"/staff/schools/{cast.school_a.code}/call-down/")
    page.get_by_label("Level").fill("2")
    page.get_by_label("Role on the list").fill("Backup administrator")
    page.get_by_label("Name").fill("Rosa Backup")
    page.get_by_label("Phone for texts or calls").fill("+1 555 0100")
    submit(page, page.get_by_role("button", name="Add", exact=True))
    expect(page.get_by_role("cell", name="Rosa Backup")).to_be_visible()
    assert CallDownContact.objects.filter(name="Rosa Backup", level=2).exists()
    shot(page, "admin-call-down")

    page.get_by_role("link", name="Families notices").click()
    expect(page.get_by_text("Immigration agents came to our school today").first).to_be_visible()
    shot(page, "admin-notices")
    submit(page, page.get_by_role("button", name="Approve and publish"))
    assert FamilyNotice.objects.get().status == "published"

    page.get_by_role("link", name="Board report").click()
    expect(page.get_by_role("cell", name="School A")).to_be_visible()
    shot(page, "admin-board-report")
