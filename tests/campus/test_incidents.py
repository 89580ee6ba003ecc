"""Starting an incident, recording what happens, and the rules of its timeline."""

import uuid

import pytest
from django.db import DatabaseError, transaction

from safezones.campus.actions import (
    IncidentClosedError,
    add_entry,
    record_agent,
    set_status,
    start_incident,
)
from safezones.campus.models import Alert, CallDownContact, Incident, TimelineEntry
from safezones.outbox.models import OutgoingMessage


def test_starting_an_incident_records_the_protocol_version_and_alerts_the_first_level(cast):
    incident, created = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    assert created
    assert incident.protocol.number == 1
    assert incident.alert_level == 1
    # The empty call-down list was filled from the school's roles: the site administrator first.
    levels = {contact.email: contact.level for contact in CallDownContact.objects.filter(school=cast.school_a)}
    assert levels == {"ana@a.test": 1, "carla@area1.test": 2, "lee@legal.test": 3, "dana@district.test": 3}
    assert [alert.user for alert in Alert.objects.filter(incident=incident)] == [cast.admin_a]
    assert list(OutgoingMessage.objects.values_list("recipient", flat=True)) == ["ana@a.test"]
    assert [entry.kind for entry in incident.timeline.all()] == ["started", "alerted"]


def test_a_repeated_start_with_the_same_client_key_opens_one_incident(cast):
    key = uuid.uuid4()
    first, created = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus", client_key=key)
    again, created_again = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus", client_key=key)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Incident.objects.count() == 1
    assert OutgoingMessage.objects.count() == 1


def test_entries_sent_twice_from_a_phone_are_kept_once(cast):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    key = uuid.uuid4()
    for _attempt in range(2):
        add_entry(
            cast.staff_a,
            "site_staff",
            incident,
            "checked",
            data={"step": "greet", "item": "asked-to-wait"},
            client_key=key,
        )
    agent_key = uuid.uuid4()
    for _attempt in range(2):
        record_agent(
            cast.staff_a, "site_staff", incident, {"name": "J. Doe", "badge": "1234", "agency": "ICE"}, agent_key
        )
    assert incident.timeline.filter(kind="checked").count() == 1
    assert incident.agents.count() == 1
    assert incident.timeline.get(kind="agent").text == "J. Doe · 1234 · ICE"


def test_the_timeline_cannot_be_edited_in_the_database(cast):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry.objects.filter(incident=incident).update(text="changed")


def test_a_closed_incident_takes_no_more_entries(cast):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    set_status(cast.admin_a, "site_admin", incident, "departed")
    closed = set_status(cast.admin_a, "site_admin", incident, "closed", "no_access")
    assert closed.outcome == "no_access"
    assert closed.departed_at is not None
    with pytest.raises(IncidentClosedError):
        add_entry(cast.staff_a, "site_staff", incident, "note", text="late")
    with pytest.raises(IncidentClosedError):
        set_status(cast.admin_a, "site_admin", incident, "active")


def test_a_drill_is_marked_and_never_sends_texts(cast, settings):
    settings.ALERT_WEBHOOK_URL = "http://127.0.0.1:9/hook"
    settings.WEBHOOK_SECRET = "s"
    CallDownContact.objects.create(
        school=cast.school_a, level=1, title="Principal", name="Ana", phone="+15550100", email="ana@a.test"
    )
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus", drill=True)
    assert incident.drill
    messages = list(OutgoingMessage.objects.all())
    assert [message.channel for message in messages] == ["email"]
    assert messages[0].subject.startswith("[DRILL]")
