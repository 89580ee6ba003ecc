"""Notices go through the outbox to a real SMTP server; an outage never blocks
intake and every message arrives once when mail comes back."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safezones.outbox.actions import MAX_ATTEMPTS, deliver_message
from safezones.outbox.models import OutgoingMessage
from safezones.outbox.tasks import deliver
from tests.smtp_sink import Sink, free_port, silent_server, smtp_server
from tests.worker import deliver_when_due, tell_offices

REPORT = {"school": "SA", "language": "es", "kind": "not_posted", "description": "canary-outbox-5521"}


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    return port


def _file_report(capture) -> None:
    with capture(execute=True):
        response = Client().post("/api/v1/family/reports", json.dumps(REPORT), content_type="application/json")
        assert response.status_code == 201
        assert tell_offices() == 1


def _run_worker() -> None:
    """Run every queued task whose time has come, once, as the worker would.

    The real `db_worker` process is exercised in tests/deploy; here the tasks
    run inside the test's own transaction (the worker command would close
    the test's database connection on PostgreSQL)."""
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        assert result.task_path == "safezones.outbox.tasks.deliver"
        deliver.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=result.pk).update(status=TaskResultStatus.SUCCESSFUL)


def test_a_new_report_notifies_its_offices_without_content(cast, smtp_port, django_capture_on_commit_callbacks):
    sink = Sink()
    with smtp_server(sink, smtp_port):
        _file_report(django_capture_on_commit_callbacks)
        _run_worker()
    recipients = sorted(str(message["To"]) for message in sink.messages)
    assert recipients == ["carla@area1.test", "dana@district.test"]  # the area and district offices, not the school
    for message in sink.messages:
        body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert "/staff/cases/" in body
        assert "canary-outbox-5521" not in body
        assert "Inicie sesión" in body or "Sign in" in body


def test_a_mail_outage_never_blocks_intake_and_every_message_arrives_once(
    cast, smtp_port, django_capture_on_commit_callbacks
):
    _file_report(django_capture_on_commit_callbacks)  # no SMTP server is listening
    _run_worker()
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"pending"}
    assert all(message.attempts == 1 for message in OutgoingMessage.objects.all())
    sink = Sink()
    with smtp_server(sink, smtp_port):
        for message in OutgoingMessage.objects.all():
            deliver_when_due(str(message.pk))
            deliver_message(str(message.pk))  # a repeated task sends nothing more
        _run_worker()  # nor do the retries the first failure scheduled
    assert len(sink.messages) == 2
    assert len(set(sink.message_ids())) == 2
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_after_the_last_attempt_a_message_is_marked_failed(cast, smtp_port, django_capture_on_commit_callbacks):
    _file_report(django_capture_on_commit_callbacks)
    message = OutgoingMessage.objects.first()
    assert message is not None
    statuses = [deliver_when_due(str(message.pk)) for _ in range(MAX_ATTEMPTS)]
    assert statuses[:-1] == ["pending"] * (MAX_ATTEMPTS - 1)
    assert statuses[-1] == "failed"
    message.refresh_from_db()
    assert message.last_error in {"ConnectionRefusedError", "SMTPServerDisconnected", "OSError"}


def test_the_district_office_sees_failed_deliveries_and_no_one_else(cast, as_user):
    OutgoingMessage.objects.create(
        dedupe_key="x",
        recipient="carla@area1.test",
        subject="Safe Zones: notice",
        body="...",
        status="failed",
        attempts=8,
    )
    page = as_user(cast.district_office).get("/staff/overview/")
    assert [m.recipient for m in page.context["undelivered"]] == ["carla@area1.test"]
    for role_holder in (cast.area_1_office, cast.board, cast.legal):
        assert "undelivered" not in as_user(role_holder).get("/staff/overview/").context


def test_the_safety_net_queues_pending_messages_again(cast, capsys):
    OutgoingMessage.objects.create(dedupe_key="y", recipient="dana@district.test", subject="s", body="b")
    call_command("deliver_outbox")
    assert "1 message(s) queued" in capsys.readouterr().out


def test_when_mail_is_back_the_waiting_messages_go_at_once_not_at_their_backoff_time(
    cast, smtp_port, django_capture_on_commit_callbacks
):
    _file_report(django_capture_on_commit_callbacks)  # no SMTP server is listening
    with django_capture_on_commit_callbacks(execute=True):
        _run_worker()  # the first try fails
        for message in OutgoingMessage.objects.all():
            for _ in range(3):  # three more: the next try is 4 minutes away
                deliver_when_due(str(message.pk))
    assert not DBTaskResult.objects.ready().exists()
    waiting = list(OutgoingMessage.objects.order_by("pk"))
    assert {message.attempts for message in waiting} == {4}
    assert all(message.next_attempt_at > timezone.now() + timedelta(minutes=3) for message in waiting)

    sink = Sink()
    with smtp_server(sink, smtp_port):
        _file_report(django_capture_on_commit_callbacks)  # a new message goes through at once...
        with django_capture_on_commit_callbacks(execute=True):
            newest = OutgoingMessage.objects.exclude(pk__in=[message.pk for message in waiting]).first()
            assert newest is not None
            assert deliver_message(str(newest.pk)) == "sent"
        _run_worker()  # ...and brings the waiting ones forward: no clock moved
    assert all(status == "sent" for status in OutgoingMessage.objects.values_list("status", flat=True))
    assert len(sink.messages) == OutgoingMessage.objects.count() == 4
    assert len(set(sink.message_ids())) == 4


def test_a_message_queued_by_a_parallel_transaction_is_not_queued_twice(db, monkeypatch):
    """The check for queued dedupe keys can miss one written a moment ago by
    another transaction; the insert then falls back to one message at a time."""
    from safezones.outbox.actions import Email, queue_emails

    assert queue_emails([Email("test:race:1", "a@a.test", "s", "b")])
    monkeypatch.setattr(OutgoingMessage.objects, "filter", lambda **_lookups: OutgoingMessage.objects.none())
    queued = queue_emails([Email("test:race:1", "a@a.test", "s", "b"), Email("test:race:2", "b@a.test", "s", "b")])
    assert [message.dedupe_key for message in queued] == ["test:race:2"]
    monkeypatch.undo()
    assert sorted(OutgoingMessage.objects.values_list("dedupe_key", flat=True)) == ["test:race:1", "test:race:2"]


def _ready_deliveries() -> list[DBTaskResult[..., str]]:
    return list(DBTaskResult.objects.ready().filter(task_path=deliver.module_path).order_by("-priority", "enqueued_at"))


def test_a_task_that_comes_before_its_message_is_due_does_nothing(cast, smtp_port, django_capture_on_commit_callbacks):
    """A repeat of a delivery task (queued again while it waited, or left by
    a restart) must not add an attempt and a retry chain of its own: during
    a long outage such repeats would multiply faster than the worker runs
    them."""
    _file_report(django_capture_on_commit_callbacks)  # no SMTP server is listening
    with django_capture_on_commit_callbacks(execute=True):
        _run_worker()  # the first try fails; one retry is scheduled for each message
    scheduled = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    message = OutgoingMessage.objects.earliest("created_at")
    sink = Sink()
    with smtp_server(sink, smtp_port), django_capture_on_commit_callbacks(execute=True):
        assert deliver_message(str(message.pk)) == "pending"  # early: even with mail up, it waits its turn
    message.refresh_from_db()
    assert message.attempts == 1
    assert sink.messages == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == scheduled


def test_the_safety_net_leaves_a_message_whose_task_is_waiting(cast, capsys, django_capture_on_commit_callbacks):
    _file_report(django_capture_on_commit_callbacks)  # its notices' task is queued, not yet run
    waiting = _ready_deliveries()
    assert len(waiting) == 1
    for _ in range(3):  # each minute, behind a backlog
        call_command("deliver_outbox")
        assert "0 message(s) queued" in capsys.readouterr().out
    assert _ready_deliveries() == waiting

    DBTaskResult.objects.filter(pk=waiting[0].pk).update(status=TaskResultStatus.RUNNING)  # its worker died
    call_command("deliver_outbox")
    assert "2 message(s) queued" in capsys.readouterr().out
    assert len(_ready_deliveries()) == 1


def test_the_safety_net_queues_a_backlog_in_batches_alerts_first(db, capsys):
    from safezones.outbox.actions import BATCH_SIZE, NOTICE_PRIORITY

    for number in range(BATCH_SIZE + 5):
        OutgoingMessage.objects.create(
            dedupe_key=f"n{number}", recipient="d@d.test", subject="s", body="b", priority=NOTICE_PRIORITY
        )
    alert = OutgoingMessage.objects.create(dedupe_key="a", recipient="a@a.test", subject="s", body="b")
    call_command("deliver_outbox")
    assert f"{BATCH_SIZE + 6} message(s) queued" in capsys.readouterr().out
    tasks = _ready_deliveries()
    assert [(task.priority, len(task.args_kwargs["args"])) for task in tasks] == [
        (0, 1),
        (NOTICE_PRIORITY, BATCH_SIZE),
        (NOTICE_PRIORITY, 5),
    ]
    assert tasks[0].args_kwargs["args"] == [str(alert.pk)]


def test_the_retries_of_a_notice_keep_its_place_behind_alerts(cast, smtp_port, django_capture_on_commit_callbacks):
    from safezones.campus.actions import start_incident
    from safezones.outbox.actions import NOTICE_PRIORITY

    _file_report(django_capture_on_commit_callbacks)  # no SMTP server is listening
    with django_capture_on_commit_callbacks(execute=True):
        start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    alert = OutgoingMessage.objects.get(dedupe_key__contains="alert")
    with django_capture_on_commit_callbacks(execute=True):
        _run_worker()  # every first try fails
    scheduled = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver.module_path)
    retries = {task.args_kwargs["args"][0]: task for task in scheduled}
    assert len(retries) == OutgoingMessage.objects.count() == 3
    for message in OutgoingMessage.objects.all():
        assert retries[str(message.pk)].priority == (0 if message.pk == alert.pk else NOTICE_PRIORITY)
        assert retries[str(message.pk)].run_after == message.next_attempt_at

    scheduled.delete()  # the scheduled retries are lost; mail comes back
    sink = Sink()
    with smtp_server(sink, smtp_port), django_capture_on_commit_callbacks(execute=True):
        assert deliver_when_due(str(alert.pk)) == "sent"  # brings the notices forward, at their own priority
    assert [(task.priority, len(task.args_kwargs["args"])) for task in _ready_deliveries()] == [(NOTICE_PRIORITY, 2)]


def _queue_notices(count: int) -> list[str]:
    from safezones.outbox.actions import Email, queue_emails

    emails = [Email(f"test:batch:{n}", f"office{n}@a.test", "Safe Zones: a new case", "Sign in.") for n in range(count)]
    return [str(message.pk) for message in queue_emails(emails, new=True)]


def test_the_messages_of_one_task_share_one_connection_to_the_mail_server(db, smtp_port):
    ids = _queue_notices(5)
    sink = Sink()
    with smtp_server(sink, smtp_port):
        assert deliver.call(*ids) == ",".join(["sent"] * 5)
    assert sorted(sink.message_ids()) == sorted(f"<{pk}@safezones>" for pk in ids)
    assert sink.connections() == 1


def test_a_mail_server_that_hangs_holds_a_task_for_one_time_out_not_one_per_message(db, settings):
    ids = _queue_notices(4)
    with silent_server() as (port, connections):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 0.5},
            }
        }
        assert deliver.call(*ids) == ",".join(["pending"] * 4)
    assert len(connections) == 1
    waiting = OutgoingMessage.objects.filter(pk__in=ids)
    assert {(message.attempts, message.last_error) for message in waiting} == {(1, "SMTPServerDisconnected")}
    assert all(message.next_attempt_at > timezone.now() for message in waiting)


def test_a_message_brought_forward_by_a_worker_whose_clock_is_ahead_is_not_early_for_another(db, smtp_port):
    (pk,) = _queue_notices(1)
    OutgoingMessage.objects.filter(pk=pk).update(next_attempt_at=timezone.now() + timedelta(seconds=2))
    sink = Sink()
    with smtp_server(sink, smtp_port):
        assert deliver_message(pk) == "sent"
    assert sink.message_ids() == [f"<{pk}@safezones>"]


def test_when_mail_is_back_every_message_waiting_after_a_failure_goes_in_a_batch_instead_of_its_own_task(
    db, smtp_port, django_capture_on_commit_callbacks
):
    """After an outage some retries have come due and wait in the backlog, the
    rest are scheduled for later. The first message through sends them all in
    batches and drops the tasks they waited for, so the backlog is not worked
    one task and one connection per message."""
    from safezones.outbox.actions import Email, queue_emails

    due, later, fresh = _queue_notices(3)
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    for pk, attempts, when in ((due, 3, now - timedelta(minutes=1)), (later, 4, now + timedelta(minutes=4))):
        OutgoingMessage.objects.filter(pk=pk).update(
            attempts=attempts, last_error="ConnectionRefusedError", next_attempt_at=when
        )
        deliver.using(run_after=when).enqueue(pk)
    deliver.enqueue(fresh)  # never tried: left to its own task
    (first,) = [str(message.pk) for message in queue_emails([Email("test:first", "d@d.test", "s", "b")], new=True)]
    sink = Sink()
    with smtp_server(sink, smtp_port):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver_message(first) == "sent"
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver.module_path)
        assert sorted(sorted(task.args_kwargs["args"]) for task in waiting) == sorted(
            [[first], [fresh], sorted([due, later])]
        )
        assert set(OutgoingMessage.objects.filter(pk__in=[due, later]).values_list("last_error", flat=True)) == {""}
        # The next message through finds nothing more to bring forward.
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver_message(fresh) == "sent"
        assert waiting.count() == 3
        _run_worker()
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(sink.message_ids()) == sorted(f"<{pk}@safezones>" for pk in (due, later, fresh, first))
