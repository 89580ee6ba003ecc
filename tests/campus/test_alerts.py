"""Alerts climb the call-down list until someone acknowledges, and reach a
real SMTP server and a real webhook receiver exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safezones.campus.actions import start_incident
from safezones.campus.alerts import acknowledge, acknowledge_by_token, alert_for_token, escalate_due, open_alerts_for
from safezones.campus.models import CallDownContact
from safezones.outbox.actions import deliver_message
from safezones.outbox.models import OutgoingMessage
from tests.smtp_sink import Sink, free_port, smtp_server
from tests.webhook_sink import Receiver, webhook_server
from tests.worker import deliver_when_due, run_ready_tasks


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


def _later(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)


def test_nobody_acknowledging_alerts_the_next_level_after_the_districts_limit(cast):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    assert escalate_due(_later(2.9)) == 0
    assert escalate_due(_later(3.1)) == 1
    incident.refresh_from_db()
    assert incident.alert_level == 2
    assert open_alerts_for(cast.area_1_office).count() == 1
    assert escalate_due(_later(6.3)) == 1
    incident.refresh_from_db()
    assert incident.alert_level == 3
    assert {message.recipient for message in OutgoingMessage.objects.all()} == {
        "ana@a.test",
        "carla@area1.test",
        "lee@legal.test",
        "dana@district.test",
    }
    assert escalate_due(_later(20)) == 0  # the end of the list


def test_the_district_sets_the_limit(cast):
    cast.district.acknowledge_minutes = 10
    cast.district.save()
    start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    assert escalate_due(_later(9)) == 0
    assert escalate_due(_later(11)) == 1


def test_an_acknowledgement_stops_the_climb(cast):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    assert acknowledge(cast.admin_a, "site_admin", incident)
    assert not acknowledge(cast.area_1_office, "area_office", incident)  # once is enough
    assert escalate_due(_later(30)) == 0
    assert open_alerts_for(cast.admin_a).count() == 0
    assert incident.timeline.filter(kind="acknowledged").count() == 1


def test_the_link_in_the_message_acknowledges_with_one_tap(cast, smtp_port):
    sink = Sink()
    with smtp_server(sink, smtp_port):
        incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
        for message in OutgoingMessage.objects.all():
            deliver_message(str(message.pk))
    body = sink.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    token = body.split("/alerts/")[1].split("/")[0]
    alert = alert_for_token(token)
    assert alert is not None
    assert alert.incident == incident
    assert acknowledge_by_token(alert)
    incident.refresh_from_db()
    assert incident.acknowledged_by == cast.admin_a
    assert alert_for_token(token[:-2] + "xx") is None


def test_messages_name_the_school_and_a_link_never_a_student(cast, smtp_port):
    sink = Sink()
    with smtp_server(sink, smtp_port):
        start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
        for message in OutgoingMessage.objects.all():
            deliver_message(str(message.pk))
    body = sink.messages[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "School A" in body
    assert "/staff/incidents/" in body
    assert "Agentes de inmigración" in body  # English and Spanish


def test_a_mail_outage_loses_no_alert_and_each_arrives_once(cast, smtp_port, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    run_ready_tasks()  # SMTP is down: the attempt fails, the incident stands
    assert incident.timeline.count() == 2
    assert OutgoingMessage.objects.get().status == "pending"
    sink = Sink()
    with smtp_server(sink, smtp_port):
        for message in OutgoingMessage.objects.all():
            deliver_when_due(str(message.pk))
            deliver_message(str(message.pk))
    assert len(sink.messages) == 1
    assert OutgoingMessage.objects.get().status == "sent"


def test_texts_go_to_the_webhook_signed_and_once(cast, settings, smtp_port):
    receiver = Receiver(secret="webhook-secret")
    with webhook_server(receiver) as url:
        settings.ALERT_WEBHOOK_URL, settings.WEBHOOK_SECRET = url, "webhook-secret"
        CallDownContact.objects.create(school=cast.school_a, level=1, title="Principal", name="Ana", phone="+15550100")
        start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
        message = OutgoingMessage.objects.get(channel="webhook")
        deliver_message(str(message.pk))
        deliver_message(str(message.pk))
    assert receiver.bad_signatures == 0
    assert len(receiver.received) == 1
    body = receiver.received[0]
    assert body["event"] == "incident.alert"
    assert body["to"] == "+15550100"
    assert body["school"] == "SA"
    assert "/alerts/" in body["acknowledge"]
    assert receiver.idempotency_keys == [str(message.pk)]


def test_a_failing_webhook_is_retried_then_shown_as_failed(cast, settings):
    receiver = Receiver(secret="webhook-secret", answer=500)
    with webhook_server(receiver) as url:
        settings.ALERT_WEBHOOK_URL, settings.WEBHOOK_SECRET = url, "webhook-secret"
        CallDownContact.objects.create(school=cast.school_a, level=1, title="Principal", name="Ana", phone="+15550100")
        start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
        message = OutgoingMessage.objects.get(channel="webhook")
        statuses = [deliver_when_due(str(message.pk)) for _attempt in range(8)]
    assert statuses[:7] == ["pending"] * 7
    assert statuses[7] == "failed"
    message.refresh_from_db()
    assert message.last_error == "HTTP 500"
    assert message.attempts == 8


def test_the_scheduled_check_escalates_when_its_time_comes(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    ran = run_ready_tasks()
    assert "safezones.campus.tasks.check_escalation" not in ran  # not due for 3 minutes
    incident.refresh_from_db()
    assert incident.alert_level == 1
