"""First visits to the public pages served from a copy kept a few seconds,
through the WSGI application the production server runs."""

import io
import re
import urllib.parse
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.test.utils import CaptureQueriesContext

from safezones.families.models import FamilyCase
from safezones.pagecache import PageCache

pytestmark = pytest.mark.django_db(transaction=True)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode()

    def cookies(self) -> dict[str, str]:
        found = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                found[key] = rest.split(";", 1)[0]
        return found

    def header(self, wanted: str) -> str | None:
        return next((value for name, value in self.headers if name.lower() == wanted.lower()), None)

    def csrf_tokens(self) -> list[str]:
        return re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', self.text)

    def retry_tokens(self) -> list[str]:
        return re.findall(r'name="retry_token" value="([^"]*)"', self.text)


def call(app, path: str, *, method: str = "GET", language: str = "es", cookie: str = "", form=None) -> Answer:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_ACCEPT_LANGUAGE": language}
    if "?" in path:
        environ["PATH_INFO"], environ["QUERY_STRING"] = path.split("?", 1)
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    data = urllib.parse.urlencode(form or {}, doseq=True).encode()
    if form is not None:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["CONTENT_LENGTH"] = str(len(data))
    environ["wsgi.input"] = io.BytesIO(data)
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    answer: dict[str, Any] = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return Answer(answer["status"], answer["headers"], body)


@pytest.fixture
def app():
    return PageCache(WSGIHandler())


def _without_tokens(answer: Answer) -> str:
    text = answer.text
    for token in answer.csrf_tokens() + answer.retry_tokens():
        text = text.replace(token, "")
    return text


def test_a_first_visit_gets_the_kept_page_with_tokens_of_its_own(cast, app):
    first = call(app, "/help/report/")
    with CaptureQueriesContext(connection) as queries:
        second = call(app, "/help/report/")
    assert len(queries) == 0, "the second visit was served without Django"
    assert first.status == second.status == "200 OK"
    assert "Reportar un problema" in second.text
    assert _without_tokens(first) == _without_tokens(second)
    assert int(second.header("Content-Length") or 0) == len(second.body)
    assert second.header("Content-Security-Policy") == first.header("Content-Security-Policy")
    assert second.header("Cache-Control") == "no-store"

    name = settings.CSRF_COOKIE_NAME
    secrets = [first.cookies()[name], second.cookies()[name]]
    assert secrets[0] != secrets[1]
    for answer, secret in zip((first, second), secrets, strict=True):
        assert answer.csrf_tokens(), "the page has its CSRF token"
        assert all(_unmask_cipher_token(token) == secret for token in answer.csrf_tokens())
    retry = first.retry_tokens() + second.retry_tokens()
    assert len(retry) == 2
    assert retry[0] != retry[1], "two visitors never share a retry token"


def test_a_report_sent_from_a_kept_page_is_filed(cast, app):
    call(app, "/help/report/")
    page = call(app, "/help/report/")
    cookie = f"{settings.CSRF_COOKIE_NAME}={page.cookies()[settings.CSRF_COOKIE_NAME]}"
    form = {
        "csrfmiddlewaretoken": page.csrf_tokens()[0],
        "school": "SA",
        "language": "es",
        "kind": "not_posted",
        "date": "2026-11-02",
        "description": "No hay carteles",
        "retry_token": page.retry_tokens()[0],
    }
    sent = call(app, "/help/report/", method="POST", cookie=cookie, form=form)
    assert sent.status == "200 OK"
    assert re.search(r"<code>\d{5}(-\d{5}){4}</code>", sent.text), "the receipt is shown"
    assert FamilyCase.objects.count() == 1

    forged = call(app, "/help/report/", method="POST", cookie=cookie, form={**form, "csrfmiddlewaretoken": "x" * 64})
    assert forged.status.startswith("403")
    assert FamilyCase.objects.count() == 1


def test_each_language_has_its_own_page(cast, app):
    call(app, "/help/", language="es")
    call(app, "/help/", language="en")
    assert "Reportar un problema" in call(app, "/help/", language="es").text
    english = call(app, "/help/", language="en").text
    assert "Report a problem" in english
    assert "Reportar un problema" not in english


def test_visitors_with_cookies_queries_and_other_pages_go_to_the_application(cast, app, as_user):
    call(app, "/help/")
    with CaptureQueriesContext(connection) as queries:
        call(app, "/help/", cookie="sessionid=abc")
        call(app, "/help/resources/?kind=legal_aid")
        call(app, "/healthz")
    assert len(queries) > 0
    assert [key[0] for key in app.pages] == ["/help/"]

    signed_in = as_user(cast.area_1_office)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in signed_in.cookies.items())
    staff = call(app, "/staff/cases/", cookie=cookie, language="en")
    assert staff.status == "200 OK"
    assert [key[0] for key in app.pages] == ["/help/"], "a signed-in page is never kept"


def test_a_kept_page_is_rendered_again_once_its_seconds_are_over(cast, app):
    app.seconds = 0
    call(app, "/schools/SA/")
    with CaptureQueriesContext(connection) as queries:
        again = call(app, "/schools/SA/")
    assert again.status == "200 OK"
    assert len(queries) > 0


def test_kept_pages_stay_within_their_bytes(cast, app):
    """The page used longest ago makes room for the newest."""
    app.max_bytes = len(call(PageCache(WSGIHandler()), "/help/privacy/").body)
    call(app, "/help/")
    call(app, "/help/privacy/")
    assert [key[0] for key in app.pages] == ["/help/privacy/"]
    assert app.size == sum(page.size for page in app.pages.values()) <= app.max_bytes


def test_every_public_family_page_is_kept(cast, app):
    paths = ["/help/", "/help/privacy/", "/help/request/", "/help/report/", "/help/follow-up/", "/help/letter/"]
    paths += ["/help/resources/", "/schools/SA/"]
    for path in paths:
        assert call(app, path).status == "200 OK", path
    assert sorted(key[0] for key in app.pages) == sorted(paths)


def test_a_page_with_a_token_not_drawn_for_the_visitor_is_never_kept():
    from safezones.pagecache import _page

    headers = [("Content-Type", "text/html")]
    drawn = [("a" * 32, lambda: "b" * 32)]
    known = b'<input type="hidden" name="retry_token" value="' + b"a" * 32 + b'">'
    unknown = b'<input type="hidden" name="retry_token" value="' + b"c" * 32 + b'">'
    assert _page("200 OK", headers, known, drawn, 0.0) is not None
    assert _page("200 OK", headers, known + unknown, drawn, 0.0) is None
    assert _page("200 OK", [*headers, ("Set-Cookie", "sessionid=x; Path=/")], known, drawn, 0.0) is None
    assert _page("200 OK", headers, b'name="csrfmiddlewaretoken" value="' + b"d" * 64 + b'"', [], 0.0) is None


def test_answers_not_marked_public_pass_through_unread():
    """A static file or a download asked for without a cookie is handed on as
    the application gave it (streamed, or as a file), never read into memory."""
    read: list[bytes] = []

    def chunks():
        for chunk in (b"first", b"second"):
            read.append(chunk)
            yield chunk

    def application(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/pdf")])
        return chunks()

    answer: dict[str, Any] = {}
    environ: dict[str, Any] = {"REQUEST_METHOD": "GET", "PATH_INFO": "/static/guide.pdf"}
    result = PageCache(application)(environ, lambda status, headers: answer.update(status=status))
    assert answer == {"status": "200 OK"}
    assert read == []
    assert b"".join(result) == b"firstsecond"
