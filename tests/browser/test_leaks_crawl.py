"""A crawl of the pages each role can reach, in a browser: signed in as each
of the eight roles, every link on the staff home and in the navigation is
followed (within /staff/ and /accounts/, to a bounded number of pages, never
signing out, never submitting a form); an anonymous visitor does the same
from the public home page. The browser guard (tests/browser/conftest.py)
fails the test on any request to another origin, any console error (a
Content-Security-Policy violation is one) and any failed asset; here every
HTML answer must also carry the same strict Content-Security-Policy header,
and every page a link leads to must open."""

import json
import re
import uuid
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, expect

from safezones.accounts.devices import current_code
from safezones.campus import actions as campus
from safezones.campus import records
from safezones.campus.notices import request_notice
from tests.browser.conftest import Traffic, submit
from tests.conftest import PASSWORD, Cast, confirmed_totp
from tests.test_privacy import EXPECTED_CSP

ROLES = [
    "site_staff",
    "site_admin",
    "area_office",
    "district_office",
    "legal_office",
    "procurement",
    "board_member",
    "system_admin",
]
MAX_PAGES = 60
# A second page of the same view (another school, another tab) teaches little more.
PER_ROUTE = 1
NEVER = re.compile(r"sign-out|/accounts/(sign-in|verify|enroll|confirm)/|\.(csv|pdf|ya?ml|ics|json|xlsx|zip)$|/pdf/")
DOWNLOAD = "Download is starting"

pytestmark = pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900}, locale="en-US")


def _seed(cast: Cast) -> None:
    """Something behind every kind of link: family cases, an incident with a
    note, an agent and a document, a notice waiting for approval, a records
    request."""
    family = Client()
    for path, body in (
        ("requests", {"school": "SA", "language": "es", "needs": ["legal_help"], "message": "Necesitamos ayuda"}),
        ("reports", {"school": "SA", "language": "en", "kind": "other", "description": "Something happened"}),
    ):
        answer = family.post(f"/api/v1/family/{path}", json.dumps(body), content_type="application/json")
        assert answer.status_code == 201
    incident, _ = campus.start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    campus.add_entry(cast.staff_a, "site_staff", incident, "note", text="Two agents at the front desk")
    campus.record_agent(cast.staff_a, "site_staff", incident, {"name": "Agent One", "agency": "ICE"}, uuid.uuid4())
    campus.record_document(cast.staff_a, "site_staff", incident, "Warrant for arrest of alien", {"kind": "unknown"})
    request_notice(cast.admin_a, "site_admin", incident, "agents_present")
    records.log_request(
        cast.admin_a, "site_admin", cast.school_a, {"how": "phone", "requester": "An agency", "sought": "records"}
    )


def _sign_in(page: Page, cast: Cast, role: str) -> None:
    user = cast.by_role()[role]
    app = confirmed_totp(user)
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Continue"))
    expect(page).to_have_url(re.compile(r"/accounts/verify/"))
    page.get_by_label("Six-digit code from your authenticator app").fill(current_code(app))
    submit(page, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(re.compile(r"/staff/$"))


def _route(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def _links(page: Page, origin: str, within: tuple[str, ...]) -> list[str]:
    """Same-origin links on the page, not downloads, inside the allowed parts."""
    hrefs: list[str] = page.eval_on_selector_all("a[href]:not([download])", "links => links.map((a) => a.href)")
    found = []
    for href in hrefs:
        url = urldefrag(href).url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or NEVER.search(parts.path):
            continue
        if parts.path.startswith(within):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _crawl(page: Page, traffic: Traffic, start: str, within: tuple[str, ...]) -> dict[str, int]:
    """Visit pages breadth first from `start`; the status each one ended on."""
    html: list[Response] = []
    page.on("response", lambda response: html.append(response) if _is_html(response) else None)
    seen, per_route = {start}, Counter[str]()
    visited: dict[str, int] = {}
    queue = deque([start])
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        route = _route(path.split("?")[0])
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if DOWNLOAD in error.message:
                continue  # a file, not a page
            raise
        assert response is not None, f"{path} gave no response"
        visited[path] = response.status
        if response.status >= 400 or not _is_html(response):
            continue
        for link in _links(page, traffic.origin, within):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    traffic.settle()
    wrong = sorted({f"{r.url} ({r.status})" for r in html if r.headers.get("content-security-policy") != EXPECTED_CSP})
    assert not wrong, f"HTML answers without the strict Content-Security-Policy: {wrong}"
    assert len(html) >= len(visited)
    return visited


def _is_html(response: Response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_reach_stays_on_this_server_under_the_strict_policy(
    page: Page, traffic: Traffic, cast: Cast, role: str
) -> None:
    _seed(cast)
    _sign_in(page, cast, role)
    visited = _crawl(page, traffic, "/staff/", ("/staff/", "/accounts/"))
    broken = {path: status for path, status in visited.items() if status >= 400}
    assert not broken, f"links shown to the {role} lead to errors: {broken}"
    assert len(visited) > 2, f"the {role} reached only {sorted(visited)}"


def test_every_public_page_stays_on_this_server_under_the_strict_policy(
    page: Page, traffic: Traffic, cast: Cast
) -> None:
    visited = _crawl(page, traffic, "/", ("/",))
    broken = {path: status for path, status in visited.items() if status >= 400}
    assert not broken, f"public links lead to errors: {broken}"
    assert {"/", "/help/request/", "/help/report/"} <= set(visited)
