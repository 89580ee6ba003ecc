"""Nothing leaks when something breaks: a failure forced inside the family
intake answers a plain 500 that repeats nothing the family sent, and neither
the logs nor the error mail to the administrators (switched on here, with
Django's in-memory mail) hold what was sent, the client's address or its user
agent."""

import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.views.debug import get_exception_reporter_class

from safezones.error_reports import PrivateExceptionReporter
from safezones.families import actions
from safezones.families.models import FamilyCase
from tests.proof.test_leaks_intake import (
    CLIENT_MARKERS,
    REQUEST_HEADERS,
    canary,
    canary_phone,
    jpeg_with_exif,
    listening_to_every_logger,
    receipt_on,
)

FAILURE = "forced failure inside the intake"


class ForcedError(RuntimeError):
    pass


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise ForcedError(FAILURE)


def _form_token(client: Client, path: str) -> str:
    return str(client.get(path).context["form"]["retry_token"].value())


def _request_page(client: Client, sent: dict[str, str]) -> Any:
    return client.post(
        "/help/request/",
        {
            "school": "SA",
            "language": "es",
            "needs": ["legal_help"],
            "contact": "email",
            "message": sent["message"],
            "name": sent["name"],
            "phone": sent["phone"],
            "email": sent["email"],
            "retry_token": _form_token(client, "/help/request/"),
        },
    )


def _report_page(client: Client, sent: dict[str, str]) -> Any:
    photo = SimpleUploadedFile(sent["filename"] + ".jpg", jpeg_with_exif(sent["exif"]), "image/jpeg")
    return client.post(
        "/help/report/",
        {
            "school": "SA",
            "language": "en",
            "kind": "other",
            "description": sent["description"],
            "retry_token": _form_token(client, "/help/report/"),
            "attachments": [photo],
        },
    )


def _request_api(client: Client, sent: dict[str, str]) -> Any:
    body = {
        "school": "SA",
        "language": "en",
        "needs": ["counseling"],
        "message": sent["message"],
        "name": sent["name"],
        "phone": sent["phone"],
        "email": sent["email"],
        "idempotency_key": sent["idempotency"],
    }
    return client.post("/api/v1/family/requests", json.dumps(body), content_type="application/json")


def _report_api(client: Client, sent: dict[str, str]) -> Any:
    body = {"school": "SA", "language": "es", "kind": "other", "description": sent["description"]}
    return client.post("/api/v1/family/reports", json.dumps(body), content_type="application/json")


def _follow_up_message(client: Client, sent: dict[str, str]) -> Any:
    return client.post("/help/follow-up/message/", {"receipt": sent["receipt"], "text": sent["text"]})


def _what_to_send(receipt: str) -> dict[str, str]:
    return {
        "message": canary("error-message"),
        "name": canary("error-name"),
        "phone": canary_phone(),
        "email": canary("error-email") + "@example.org",
        "description": canary("error-description"),
        "filename": canary("error-filename"),
        "exif": canary("error-exif"),
        "idempotency": canary("error-idempotency"),
        "text": canary("error-follow-up"),
        "receipt": receipt,
    }


# (how the family sends it, the inner function that fails)
PATHS: dict[str, tuple[Callable[[Client, dict[str, str]], Any], str]] = {
    "request page": (_request_page, "_create"),
    "report page with a photo": (_report_page, "_create"),
    "request API": (_request_api, "_create"),
    "report API": (_report_api, "_create"),
    "follow-up message": (_follow_up_message, "write_message"),
}


@pytest.mark.parametrize("path", list(PATHS))
def test_a_failure_inside_the_intake_keeps_nothing_that_was_sent(cast, settings, mailoutbox, monkeypatch, path):
    settings.ADMINS = ["admins@example.org"]
    family = Client(raise_request_exception=False, **REQUEST_HEADERS)
    receipt = ""
    if path == "follow-up message":
        page = family.post(
            "/help/report/",
            {
                "school": "SA",
                "language": "en",
                "kind": "other",
                "description": "an earlier report",
                "retry_token": _form_token(family, "/help/report/"),
            },
        )
        receipt = receipt_on(page)
    sent = _what_to_send(receipt)
    send, inner = PATHS[path]
    cases_before = FamilyCase.objects.count()
    monkeypatch.setattr(actions, inner, _fail)

    with listening_to_every_logger() as logs:
        answer = send(family, sent)

    assert answer.status_code == 500
    body = answer.content.decode()
    assert "Something went wrong on our side" in body or "detail" in json.loads(body or "{}")
    assert FamilyCase.objects.count() == cases_before, "nothing half-filed"
    assert FAILURE in logs.text(), "the failure itself is logged"
    assert len(mailoutbox) == 1, "the administrators are told"
    mail = "\n".join(str(message.message()) for message in mailoutbox)
    assert FAILURE in mail
    secrets_sent = {name: value for name, value in sent.items() if value}
    for place, text in (("the answer", body), ("the logs", logs.text()), ("the error mail", mail)):
        found = [name for name, value in secrets_sent.items() if value in text]
        found += [marker for marker in CLIENT_MARKERS if marker in text]
        assert not found, f"{place} holds {found}"


def test_an_error_report_in_any_form_names_nothing_of_the_request(rf):
    """The same report Django mails (as text, or as HTML when asked to) and
    shows with DEBUG on: no address, user agent, cookie, form value, query,
    file name or local variable."""
    sent = _what_to_send("11111-22222-33333-44444-55555")
    upload = SimpleUploadedFile(sent["filename"] + ".jpg", b"\xff\xd8\xff", "image/jpeg")
    request = rf.post(
        f"/help/report/?q={sent['name']}",
        {"description": sent["description"], "attachments": upload},
        **REQUEST_HEADERS,
    )
    request.COOKIES["session"] = sent["idempotency"]
    configured: object = get_exception_reporter_class(request)
    assert configured is PrivateExceptionReporter, "the settings name it"
    try:
        local_copy = sent["message"]  # what a view holds when it fails
        raise ForcedError(FAILURE + local_copy[:0])
    except ForcedError:
        kind, error, trace = sys.exc_info()
        reporter = PrivateExceptionReporter(request, kind, error, trace, is_email=True)
        reports = {"text": reporter.get_traceback_text(), "html": reporter.get_traceback_html()}
    for form, report in reports.items():
        assert FAILURE in report
        assert "/help/report/" in report
        found = [name for name, value in sent.items() if value in report]
        found += [marker for marker in CLIENT_MARKERS if marker in report]
        assert not found, f"the {form} report holds {found}"
