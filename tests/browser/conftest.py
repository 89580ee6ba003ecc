"""Browser tests: Debian's Chromium driven by Playwright against a live server
on 127.0.0.1.

Every test here runs in a browser context that is not allowed to reach any
origin but the live server's. Requests elsewhere are aborted before they leave
the machine and fail the test, and so do console errors (a Content Security
Policy violation is one), uncaught script errors and sub-resources the server
answers with an error status.
"""

import contextlib
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    Route,
    WebError,
    expect,
)
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent

# Generous for a loaded CI machine, short enough that a hang fails quickly.
ACTION_TIMEOUT_MS = 5_000
NAVIGATION_TIMEOUT_MS = 10_000
LAUNCH_TIMEOUT_MS = 30_000

expect.set_options(timeout=ACTION_TIMEOUT_MS)

# Chromium prints this for every response with an error status, including a
# page the test meant to open (the 404 page, an API answering 401).
FAILED_RESOURCE = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = None if CHROMIUM.exists() else pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser-deps`")
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if missing is not None:
            item.add_marker(missing)


# --- The server ---------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """pytest-django's live server, bound to the loopback address only (its
    default, "localhost", may resolve to other addresses too)."""
    server = LiveServer("127.0.0.1:0")
    bound = server.thread.httpd.server_address[0]
    if bound != "127.0.0.1":
        server.stop()
        pytest.fail(f"the live server listens on {bound!r}, not on 127.0.0.1 only")
    yield server
    server.stop()


# --- The browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": str(CHROMIUM),
        "headless": True,
        "timeout": LAUNCH_TIMEOUT_MS,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Relative addresses in `page.goto` go to the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "en-US",
        "timezone_id": "UTC",
        "service_workers": "block",
        "reduced_motion": "reduce",
    }


# --- Forms ----------------------------------------------------------------------


def submit(page: Page, button: Locator, *, tap: bool = False) -> Response:
    """Click (or, on a touch screen, tap) a form's submit button; the server's
    answer to the POST.

    A refusal by Django's CSRF check fails the test at once, naming the Origin
    header the browser sent, rather than leaving later steps to time out."""
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        if tap:
            button.tap()
        else:
            button.click()
    response = posted.value
    if response.status == 403 and b"CSRF" in response.body():
        origin = response.request.header_value("origin")
        pytest.fail(
            f"Django's CSRF check refused the browser's POST to {response.url} (the browser sent Origin: {origin})",
            pytrace=False,
        )
    return response


# --- The guard ------------------------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class Traffic:
    """What the browser did during one test, and what of it was wrong."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list, repr=False)
    documents: dict[str, int] = field(default_factory=dict, repr=False)
    navigations: list[tuple[str, int]] = field(default_factory=list, repr=False)
    allowed_console: list[re.Pattern[str]] = field(default_factory=list, repr=False)
    contexts: list[BrowserContext] = field(default_factory=list, repr=False)

    def allowed(self, url: str) -> bool:
        return url.startswith("data:") or _origin(url) == self.origin

    def allow_console(self, pattern: str) -> None:
        """Let one test expect a console error (a regular expression)."""
        self.allowed_console.append(re.compile(pattern))

    def paths(self) -> list[str]:
        """The paths of the same-origin requests, in order."""
        return [urlsplit(url).path for url in self.requests if _origin(url) == self.origin]

    # Listeners.

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not self.allowed(request.url):
            self.foreign.append(f"{request.method} {request.url} ({request.resource_type})")

    def on_response(self, response: Response) -> None:
        if response.request.is_navigation_request():
            self.documents[response.url] = response.status
            self.navigations.append((response.url, response.status))
        elif response.status >= 400:
            self.failed_assets.append(f"{response.status} {response.url}")

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text, where = message.text, message.location.get("url", "")
        failed = FAILED_RESOURCE.match(text)
        if failed and self._is_page_status(where, int(failed.group(1))):
            return  # the page itself, whose status the test checks
        if any(pattern.search(text) for pattern in self.allowed_console):
            return
        self.console_errors.append(f"{text} (at {where})")

    def _is_page_status(self, where: str, status: int) -> bool:
        if self.documents.get(where) == status:
            return True
        # An error status with an empty body: Chromium shows its own error
        # page and may log the failure there instead.
        return where.startswith("chrome-error://") and any(seen == status for _url, seen in self.navigations)

    def on_web_error(self, error: WebError) -> None:
        self.page_errors.append(str(error.error))

    def block(self, route: Route) -> None:
        route.abort("blockedbyclient")

    def watch(self, context: BrowserContext) -> None:
        self.contexts.append(context)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("console", self.on_console)
        context.on("weberror", self.on_web_error)
        # Nothing may leave the machine, even when a test is about to fail.
        context.route(lambda url: not self.allowed(url), self.block)

    # The verdict.

    def settle(self) -> None:
        """Let events the browser already sent reach the listeners."""
        for context in self.contexts:
            for page in context.pages:
                # A page closed or navigating has delivered its events already.
                with contextlib.suppress(PlaywrightError):
                    page.evaluate("0")

    def problems(self) -> list[str]:
        found = [f"request to another origin: {entry}" for entry in self.foreign]
        found += [f"console error: {entry}" for entry in self.console_errors]
        found += [f"script error: {entry}" for entry in self.page_errors]
        found += [f"asset failed: {entry}" for entry in self.failed_assets]
        return found


TRAFFIC = pytest.StashKey[Traffic]()


@pytest.fixture
def traffic(request: pytest.FixtureRequest, live_server: LiveServer) -> Traffic:
    watched = Traffic(origin=_origin(live_server.url))
    request.node.stash[TRAFFIC] = watched
    return watched


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], traffic: Traffic) -> Callable[..., BrowserContext]:
    """pytest-playwright's context factory, with every context it makes watched."""

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        traffic.watch(context)
        return context

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    result = yield
    watched = item.stash.get(TRAFFIC, None)
    if watched is not None:
        watched.settle()
        problems = watched.problems()
        if problems:
            pytest.fail("the browser did something it must not:\n  " + "\n  ".join(problems), pytrace=False)
    return result
