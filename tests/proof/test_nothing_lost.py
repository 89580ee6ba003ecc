"""Nothing lost (issue 7, section 1).

- Kill test: families file requests and reports through the API and a
  signed-in member of staff opens incidents against `safezones serve` as
  `make run` starts it, with mail going to a real SMTP sink and texts to a real
  webhook receiver, while the web server (gunicorn master and workers) is
  SIGKILLed again and again and the task worker too. Afterwards every
  submission answered 201 and every incident answered with its page is there
  once, readable by the family and by its office; every alert and
  notice arrived under its own id; no repeated key filed anything twice.
  On SQLite and on PostgreSQL (`test_lost`, created and dropped here).
- Outages: mail down (intake never touches the mail server; with a test
  clock, the backoff retries until mail returns and each message arrives
  once); a webhook that times out (retries with backoff, then a failed state
  the district office sees); PostgreSQL unreachable under load (503 "not
  saved, please try again", never a false success; recovery without a
  restart).

`make soak` runs the same kill test at full size (tests/proof/lost_soak.py).
"""

import json
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from safezones.campus.actions import start_incident
from safezones.campus.models import CallDownContact
from safezones.outbox.actions import FIRST_DELAY_SECONDS, MAX_ATTEMPTS
from safezones.outbox.models import OutgoingMessage
from tests.proof.lost_stack import Result, postgres_answers, run, run_database_outage
from tests.smtp_sink import Sink, free_port, silent_server, smtp_server
from tests.worker import run_ready_tasks, tell_offices

KILLS = int(os.environ.get("LOST_KILLS", "10"))
DATABASES = ["sqlite", "postgresql"]


def _figures(result: Result) -> str:
    return (
        f"{result.database}: {result.kills} web kills, {result.worker_kills} worker kills; "
        f"{result.requests} requests, {result.reports} reports, {result.incidents} incidents "
        f"({result.retried} answered after a retry, {result.repeats_sent} sent again after their answer); "
        f"{result.emails} e-mails, {result.webhooks} webhooks, {result.delivery_repeats} repeated deliveries; "
        f"alert latency {result.latency_under_kills}; answers {dict(result.statuses)}; "
        f"prepare {result.prepare_seconds:.0f} s, load {result.load_seconds:.0f} s, "
        f"drain {result.drain_seconds:.0f} s, checks {result.check_seconds:.0f} s"
    )


def skip_unless_the_suite_runs_on(kind: str) -> None:
    """The stacks these tests start are minutes long: each runs once, in the
    pass of the suite on its own database (.ci/run makes both passes)."""
    current = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    if kind != current:
        pytest.skip(f"runs when the suite runs on {kind} (DATABASE_URL)")


@pytest.mark.parametrize("kind", DATABASES)
def test_killing_the_web_server_and_the_worker_loses_nothing(kind: str, tmp_path: Path) -> None:
    skip_unless_the_suite_runs_on(kind)
    if kind == "postgresql" and not postgres_answers():
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    result = run(kind, tmp_path, kills=KILLS, serve_between=2.0)
    print(_figures(result))  # noqa: T201 - the figures, shown with -s or on failure
    assert result.problems == [], "\n".join(result.problems)
    assert result.kills == KILLS
    assert result.worker_kills == KILLS // 2
    assert result.lost == 0
    assert result.duplicates == 0


# --- outages -----------------------------------------------------------------------


class Clock:
    """A test clock: timezone.now() runs ahead by `offset`, so the outbox's
    backoff can be walked through without sleeping."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.real = timezone.now

    def now(self) -> datetime:
        return self.real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    test_clock = Clock()
    monkeypatch.setattr(timezone, "now", test_clock.now)
    return test_clock


def _mail_to(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
        }
    }


def _work(capture) -> list[str]:
    """One round of the worker, with the retries it schedules written down."""
    with capture(execute=True):
        return run_ready_tasks()


def test_mail_down_never_blocks_intake_and_every_message_arrives_once_when_it_returns(
    cast, as_user, settings, clock, django_capture_on_commit_callbacks
):
    cast.district.acknowledge_minutes = 120  # no climb to the next level during the outage
    cast.district.save()
    port = free_port()
    _mail_to(settings, port)
    report = {"school": "SA", "language": "es", "kind": "not_posted", "description": "filed while mail is down"}
    with silent_server(port) as (_, connections), django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            answer = Client().post("/api/v1/family/reports", json.dumps(report), content_type="application/json")
            assert answer.status_code == 201
        assert tell_offices() == 3  # the worker's first step: the notices, queued as the outage goes on
        opened = as_user(cast.staff_a).post(
            "/staff/incidents/start/", {"school": "SA", "kind": "on_campus", "client_key": str(uuid.uuid4())}
        )
        assert opened.status_code == 302
        assert "/staff/incidents/" in opened["Location"]
    assert connections == [], "intake waited on the mail server"
    queued = set(OutgoingMessage.objects.values_list("pk", flat=True))
    assert len(queued) >= 4  # the offices' notices of three reports, and the alert
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"pending"}

    # Ten minutes of outage on the test clock: tries at 0, 30, 90, 210 and 450 s.
    for _ in range(60):
        _work(django_capture_on_commit_callbacks)
        clock.advance(10)
    tries = set(OutgoingMessage.objects.values_list("attempts", flat=True))
    assert tries == {5}
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"pending"}

    sink = Sink()
    with smtp_server(sink, port):
        for _ in range(120):  # the next try is due at 930 s
            _work(django_capture_on_commit_callbacks)
            if not OutgoingMessage.objects.filter(status="pending").exists():
                break
            clock.advance(10)
        for _ in range(3):  # later rounds, and repeated tasks, send nothing more
            clock.advance(600)
            _work(django_capture_on_commit_callbacks)
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert set(OutgoingMessage.objects.values_list("pk", flat=True)) == queued
    assert sorted(sink.message_ids()) == sorted(f"<{pk}@safezones>" for pk in queued)
    assert set(OutgoingMessage.objects.values_list("attempts", flat=True)) == {6}


def test_a_webhook_that_times_out_is_retried_with_backoff_then_shown_as_failed(
    cast, as_user, settings, clock, django_capture_on_commit_callbacks
):
    cast.district.acknowledge_minutes = 24 * 60
    cast.district.save()
    _mail_to(settings, free_port())  # mail is not the point here
    with silent_server() as (port, connections):
        settings.ALERT_WEBHOOK_URL, settings.WEBHOOK_SECRET = f"http://127.0.0.1:{port}/hook", "webhook-secret"
        settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
        CallDownContact.objects.create(school=cast.school_a, level=1, title="Principal", name="Ana", phone="+15550100")
        with django_capture_on_commit_callbacks(execute=True):
            start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
        message = OutgoingMessage.objects.get(channel="webhook")
        delays = []
        for attempt in range(1, MAX_ATTEMPTS + 1):
            _work(django_capture_on_commit_callbacks)
            message.refresh_from_db()
            assert message.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert message.status == "pending"
                delay = (message.next_attempt_at - timezone.now()).total_seconds()
                delays.append(round(delay))
                clock.advance(delay - 1)
                _work(django_capture_on_commit_callbacks)  # not yet
                message.refresh_from_db()
                assert message.attempts == attempt
                clock.advance(2)
    assert delays == [FIRST_DELAY_SECONDS * 2**n for n in range(MAX_ATTEMPTS - 1)]
    assert len(connections) == MAX_ATTEMPTS
    assert message.status == "failed"
    assert message.last_error in {"TimeoutError", "URLError"}
    overview = as_user(cast.district_office).get("/staff/overview/")
    assert message in list(overview.context["undelivered"])


def test_a_lost_database_answers_not_saved_503_in_the_api_and_on_pages(cast, monkeypatch, settings):
    """The answer itself, in process: the API (the view raises) and a page
    (the session cannot be read, before any view)."""

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("safezones.families.api.file_case", unreachable)
    body = {"school": "SA", "language": "es", "kind": "not_posted", "description": "x"}
    client = Client(raise_request_exception=False)
    answer = client.post("/api/v1/family/reports", json.dumps(body), content_type="application/json")
    assert answer.status_code == 503
    assert answer["Retry-After"] == "30"
    assert answer.json()["detail"].startswith("Not saved")

    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    monkeypatch.setattr(SessionStore, "load", unreachable)
    page = client.get("/staff/incidents/", headers={"Accept-Language": "es"})
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert '<html lang="es">' in page.content.decode()
    assert "No se guardó: el servicio no está disponible por un momento." in page.content.decode()


def test_postgresql_unreachable_under_load_answers_not_saved_and_recovers_without_a_restart(tmp_path: Path) -> None:
    skip_unless_the_suite_runs_on("postgresql")
    if not postgres_answers():
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    result, seen = run_database_outage(tmp_path, outage_seconds=8)
    print(_figures(result), f"recovered after {seen.recovered_after:.1f} s")  # noqa: T201
    assert result.problems == [], "\n".join(result.problems)
    assert seen.during, "nothing was probed during the outage"
    for answer in seen.during:
        assert answer.status == 503, (answer.status, answer.body[:300])
        assert answer.headers.get("Retry-After") == "30"
        assert b"Not saved" in answer.body
    assert result.statuses[503] > 0  # the load met the outage too
    assert 500 not in result.statuses
    assert 201 in result.statuses
    assert seen.recovered_after > 0, "the app did not recover within a minute"
    assert seen.master_before == seen.master_after != 0, "the web server was restarted"
