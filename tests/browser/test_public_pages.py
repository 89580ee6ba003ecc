"""What anyone can open without signing in, seen through a browser: every
route answers an anonymous visitor without a server error and without
reaching another origin, the public pages work on a 320 px screen, and a
keyboard user can see where the focus is."""

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.browser.conftest import Traffic, submit
from tests.conftest import Cast

# Pages meant for everyone. Every other route must send an anonymous visitor
# to the sign-in page or refuse them.
PUBLIC = (
    "/",
    "/accounts/sign-in/",
    "/healthz",
    "/livez",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/help/",
    "/help/privacy/",
    "/help/letter/",
    "/help/request/",
    "/help/report/",
    "/help/follow-up/",
    "/help/follow-up/message/",
    "/help/resources/",
    "/help/resources/workshops.ics",
    "/schools/SA/",
    "/sw.js",  # the staff pages' service worker: code only, no data
)
REFUSED = {401, 403, 404, 405}
MISSING = "/no-such-page/"

# Sample values for route parameters: things the shared cast has, so a
# refusal is about who asks, not about the object being absent.
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLES = {"int": "1", "str": "SA", None: "SA"}

SMALL = {"width": 320, "height": 640}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            raise AssertionError(f"{prefix}{entry.pattern}: only path() routes are expected; teach this test regexes")
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        else:
            yield route


def discover_paths() -> list[str]:
    """Every route in the URL configuration, as a path a browser can open."""
    paths = {
        "/" + CONVERTER.sub(lambda m: SAMPLES.get(m.group(1), "SA"), route)
        for route in _routes(get_resolver().url_patterns, "")
    }
    return sorted(paths)


ROUTES = discover_paths()


def test_the_public_pages_are_routes() -> None:
    assert set(PUBLIC) <= set(ROUTES), f"public pages missing from the URL configuration: {set(PUBLIC) - set(ROUTES)}"


def visit(page: Page, traffic: Traffic, path: str) -> tuple[int, str]:
    """Open a path; the status and the path of the page it ends on."""
    traffic.navigations.clear()
    try:
        page.goto(path)
    except PlaywrightError as error:
        # Chromium will not show an error status with an empty body (a 405
        # for GET, say), and it downloads a calendar file rather than show
        # it; the response it got still counts.
        if "ERR_HTTP_RESPONSE_CODE_FAILURE" not in error.message and "Download is starting" not in error.message:
            raise
    assert traffic.navigations, f"{path} gave no response"
    url, status = traffic.navigations[-1]
    return status, re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_an_anonymous_visitor(page: Page, traffic: Traffic, cast: Cast, path: str) -> None:
    status, final = visit(page, traffic, path)
    assert status < 500, f"{path} fails with {status} for a visitor who is not signed in"
    if path in PUBLIC:
        assert (status, final) == (200, path)
    else:
        landed = final.split("?")[0]
        assert landed in PUBLIC or status in REFUSED, f"{path} answers {status} at {final} to a visitor not signed in"


@pytest.mark.parametrize("path", ["/", "/accounts/sign-in/"])
def test_a_public_page_comes_only_from_this_server(page: Page, traffic: Traffic, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    expect(page).to_have_title(re.compile(r"Safe Zones"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert {"/static/css/safezones.css", "/static/js/htmx-2.0.11.min.js"} <= set(traffic.paths())
    # Let the deferred script run, so anything it fetches or logs is seen.
    page.wait_for_load_state("load")


def test_the_health_check_answers(page: Page) -> None:
    response = page.goto("/healthz")
    assert response is not None
    assert response.status == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_api_schema_answers(page: Page) -> None:
    response = page.goto("/api/v1/openapi.json")
    assert response is not None
    assert response.status == 200
    schema = response.json()
    assert schema["info"]["title"] == "Safe Zones API"
    assert "/api/v1/me" in schema["paths"]


def test_the_api_docs_load_everything_from_this_server(page: Page, traffic: Traffic) -> None:
    response = page.goto("/api/v1/docs")
    assert response is not None
    assert response.status == 200, f"the API docs answer {response.status}"
    expect(page.locator("#swagger-ui .info .title")).to_contain_text("Safe Zones API")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    loaded = set(traffic.paths())
    assert {
        "/static/ninja/swagger-ui.css",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
        "/api/v1/openapi.json",
    } <= loaded


def test_a_missing_page_says_so(page: Page) -> None:
    response = page.goto(MISSING)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This page does not exist")
    expect(page.get_by_role("main").get_by_role("link")).to_have_attribute("href", "/")


def test_the_language_switcher_works_for_a_visitor(page: Page) -> None:
    """The switcher is a form POST, so this is also the browser passing the CSRF check."""
    page.goto("/")
    page.locator("#language").select_option("en")
    submit(page, page.locator("header form.lang").get_by_role("button"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools are safe places for every family")
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_form_sent_after_the_cookies_were_cleared_is_refused_by_a_page_of_this_site(
    page: Page, traffic: Traffic
) -> None:
    """Signing out in one tab clears the cookies (Clear-Site-Data), so a form
    left open in another tab comes back without its CSRF cookie."""
    page.goto("/accounts/sign-in/")
    page.context.clear_cookies()
    page.get_by_label("E-mail address").fill("someone@example.test")
    page.get_by_label("Password").fill("not the password")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Continue").click()
    assert posted.value.status == 403
    page.wait_for_load_state("load")
    traffic.settle()
    assert traffic.console_errors == [], "the refusal page breaks the Content Security Policy"
    assert page.locator("main").count() == 1, "the refusal is not a page of this site"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert traffic.paths().count("/static/css/safezones.css") == 2


@pytest.mark.browser_context_args(viewport=SMALL)
@pytest.mark.parametrize(
    "path", ["/", "/accounts/sign-in/", "/help/request/", "/help/report/", "/help/follow-up/", MISSING]
)
def test_a_public_page_works_on_a_small_screen(page: Page, path: str) -> None:
    page.goto(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL["width"], f"{path} scrolls sideways at {SMALL['width']} px: {width} px wide"

    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
            .filter((el) => el.type !== "hidden")
            .filter((el) => ![...el.labels].some((label) => label.textContent.trim()))
            .map((el) => el.outerHTML)"""
    )
    assert unlabelled == [], f"{path} has form fields without a label: {unlabelled}"

    assert page.evaluate("document.querySelectorAll('main, [role=main]').length") == 1
    expect(page.get_by_role("main")).to_have_count(1)


def test_a_keyboard_user_sees_the_focus(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                first: el === document.querySelector("a[href]"),
                tag: el.tagName,
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
                onScreen: box.left >= 0 && box.top >= 0 && box.width > 0 && box.height > 0,
            };
        }"""
    )
    assert focused["first"], f"Tab did not reach the first link but a {focused['tag']}"
    assert focused["outlineStyle"] != "none"
    assert focused["outlineWidth"] > 0
    assert focused["onScreen"], "the focused link is off screen"
