"""Public pages kept for a few seconds in each web worker, for a first visit.

When agents are seen near a school, families arrive at the help pages and the
school's page in waves: thousands of first visits, with no cookie and no
account, each asking for the same page in one of a few languages. Such a
page is the same for every one of them but for its per-visitor tokens: the
CSRF cookie and the form tokens masked from it, and the forms' retry tokens.
`PageCache` wraps the WSGI application and keeps, for a few seconds, the
pages that a view marked as public (`public_page`); a visit without any
cookie is then served from it with fresh tokens put in, without Django.

Anything else goes to the application: a visitor with any cookie (so a
signed-in user, or a family who has been here before), a query string, any
method but GET, a page no view marked. A page whose tokens cannot all be
accounted for is served as it is and never kept, so two visitors never get
the same token. Nothing about a visitor is kept: the key is the path, the
host, the scheme and the Accept-Language header.

The CSRF tokens are made with Django's own functions for them, the same
ones its middleware uses.
"""

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]
    _get_new_csrf_string,
    _mask_cipher_secret,
    _unmask_cipher_token,
)

KEEP_SECONDS = 5.0
MAX_BYTES = 4 * 1024 * 1024  # kept pages in one worker, all together
MAX_PAGE_BYTES = 512 * 1024
MARK = "safezones.public_page"

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
RETRY_FIELD = re.compile(rb'name="retry_token" value="([^"]*)"')

# Values a view drew for this visitor alone, with how to draw another, while
# a page that may be kept is being rendered.
_drawn: ContextVar[list[tuple[str, Callable[[], str]]] | None] = ContextVar("safezones_drawn", default=None)


def per_visitor(draw: Callable[[], str]) -> str:
    """A value only this visitor may have (a retry token, say): drawn now,
    and drawn again for each visitor a kept copy of the page is served to."""
    value = draw()
    drawn = _drawn.get()
    if drawn is not None:
        drawn.append((value, draw))
    return value


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's successful GET answers as the same for every first
    visitor, so `PageCache` may keep them for a few seconds."""

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and not response.streaming:
            request.META[MARK] = True
        return response

    return marked


# A kept page: its text cut where a per-visitor value goes, and how to draw
# each (None: a CSRF token masked from the visitor's new secret).


@dataclass
class Page:
    status: str
    headers: list[tuple[str, str]]  # without Content-Length; the CSRF cookie's value left out
    cookie_header: int | None  # index of the CSRF cookie's header, if the page sets it
    parts: list[bytes]  # text, then a value, then text...: len(holes) + 1 parts
    holes: list[Callable[[], str] | None]
    size: int
    until: float


class PageCache:
    def __init__(
        self,
        application: Callable[..., Iterable[bytes]],
        *,
        seconds: float = KEEP_SECONDS,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.application = application
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.pages: OrderedDict[tuple[str, ...], Page] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        key = _key(environ)
        if key is None:
            return self.application(environ, start_response)
        with self.lock:
            page = self.pages.get(key)
            if page is not None and page.until < time.monotonic():
                self._drop(key)
                page = None
            if page is not None:
                self.pages.move_to_end(key)
        if page is not None:
            return self._serve(page, start_response)
        return self._render(key, environ, start_response)

    def _render(
        self, key: tuple[str, ...], environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        drawn: list[tuple[str, Callable[[], str]]] = []
        reset = _drawn.set(drawn)
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            if exc_info is not None and answer:
                raise exc_info[1].with_traceback(exc_info[2])
            answer["status"], answer["headers"] = status, headers
            return _no_write

        try:
            result = self.application(environ, capture)
        finally:
            _drawn.reset(reset)
        if not (environ.get(MARK) and str(answer["status"]).startswith("200 ")):
            # Not a page to keep (a static file, a download): passed on as
            # the application gave it, streamed or sent as a file.
            start_response(answer["status"], answer["headers"])
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        page = _page(answer["status"], answer["headers"], body, drawn, time.monotonic() + self.seconds)
        if page is not None and page.size <= MAX_PAGE_BYTES:
            with self.lock:
                self._drop(key)
                self.pages[key] = page
                self.size += page.size
                while self.size > self.max_bytes and self.pages:
                    self._drop(next(iter(self.pages)))
        start_response(answer["status"], answer["headers"])
        return [body]

    def _drop(self, key: tuple[str, ...]) -> None:
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= page.size

    def _serve(self, page: Page, start_response: Callable[..., Any]) -> Iterable[bytes]:
        secret = _get_new_csrf_string()
        chunks = [page.parts[0]]
        for hole, text in zip(page.holes, page.parts[1:], strict=True):
            value = _mask_cipher_secret(secret) if hole is None else hole()
            chunks += [value.encode(), text]
        body = b"".join(chunks)
        headers = list(page.headers)
        if page.cookie_header is not None:
            name, value = headers[page.cookie_header]
            headers[page.cookie_header] = (name, value.replace("\0", secret, 1))
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [body]


def _no_write(data: bytes) -> None:
    raise RuntimeError("the application wrote past its answer")


def _key(environ: dict[str, Any]) -> tuple[str, ...] | None:
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if environ.get("HTTP_COOKIE") or environ.get("QUERY_STRING") or environ.get("HTTP_AUTHORIZATION"):
        return None
    language = str(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
    if len(language) > 200:  # no entry for every odd header
        return None
    return (
        str(environ.get("PATH_INFO", "")),
        str(environ.get("HTTP_HOST", "")),
        str(environ.get("wsgi.url_scheme", "")),
        str(environ.get("HTTP_X_FORWARDED_PROTO", "")),
        language,
    )


def _page(
    status: str,
    headers: list[tuple[str, str]],
    body: bytes,
    drawn: list[tuple[str, Callable[[], str]]],
    until: float,
) -> Page | None:
    """The page cut at its per-visitor values, or None when a value is not
    accounted for (then the page is never kept)."""
    cookie_name = settings.CSRF_COOKIE_NAME
    secret = None
    cookie_header = None
    kept_headers: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower == "content-length":
            continue
        if lower == "set-cookie":
            if not value.startswith(f"{cookie_name}=") or cookie_header is not None:
                return None  # a cookie other than the CSRF one: this visitor's own
            secret, _, rest = value[len(cookie_name) + 1 :].partition(";")
            cookie_header = len(kept_headers)
            kept_headers.append((name, f"{cookie_name}=\0;{rest}"))
            continue
        kept_headers.append((name, value))
    holes: list[tuple[int, int, Callable[[], str] | None]] = []
    for match in CSRF_FIELD.finditer(body):
        if secret is None or _unmask_cipher_token(match.group(1).decode()) != secret:
            return None
        holes.append((match.start(1), match.end(1), None))
    if body.count(b"csrfmiddlewaretoken") != len(holes):
        return None
    retry_fields = {match.group(1) for match in RETRY_FIELD.finditer(body)}
    for value, draw in drawn:
        encoded = value.encode()
        retry_fields.discard(encoded)
        for found in _all(body, encoded):
            holes.append((found, found + len(encoded), draw))
    if retry_fields:
        return None  # a retry token nobody drew through per_visitor
    holes.sort(key=lambda hole: hole[0])
    parts, at = [], 0
    for start, end, _hole in holes:
        if start < at:
            return None
        parts.append(body[at:start])
        at = end
    parts.append(body[at:])
    return Page(
        status=status,
        headers=kept_headers,
        cookie_header=cookie_header,
        parts=parts,
        holes=[hole for _start, _end, hole in holes],
        size=len(body),
        until=until,
    )


def _all(body: bytes, value: bytes) -> Iterator[int]:
    at = body.find(value)
    while at != -1:
        yield at
        at = body.find(value, at + len(value))


def new_retry_token() -> str:
    return secrets.token_urlsafe(24)
