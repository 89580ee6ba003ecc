"""Families notices: asked for by the school, approved by the district, then
published and handed on; never for drills or unverified sightings."""

import csv
import io

import pytest

from safezones.campus.actions import start_incident
from safezones.campus.notices import (
    NoticeNotAllowedError,
    approve_notice,
    latest_public_notice,
    notices_csv,
    request_notice,
)
from safezones.outbox.actions import deliver_message
from safezones.outbox.models import OutgoingMessage
from tests.webhook_sink import Receiver, webhook_server


def test_a_notice_is_published_only_after_the_district_approves(cast):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    notice = request_notice(cast.admin_a, "site_admin", incident, "agents_present")
    assert set(notice.texts) == {"en", "es"}  # the school's languages
    assert latest_public_notice(cast.school_a.pk) is None
    approve_notice(cast.district_office, "district_office", notice)
    assert latest_public_notice(cast.school_a.pk) == notice


def test_drills_and_sightings_never_reach_families(cast):
    drill, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus", drill=True)
    nearby, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "nearby")
    for incident in (drill, nearby):
        with pytest.raises(NoticeNotAllowedError):
            request_notice(cast.admin_a, "site_admin", incident, "agents_present")


def test_an_approved_notice_goes_to_the_mass_notification_webhook_and_the_csv(cast, settings):
    receiver = Receiver(secret="k")
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    with webhook_server(receiver) as url:
        settings.NOTICE_WEBHOOK_URL, settings.WEBHOOK_SECRET = url, "k"
        notice = approve_notice(
            cast.district_office,
            "district_office",
            request_notice(cast.admin_a, "site_admin", incident, "agents_departed"),
        )
        deliver_message(str(OutgoingMessage.objects.get(channel="webhook").pk))
    assert receiver.received[0]["event"] == "families.notice"
    assert receiver.received[0]["kind"] == "agents_departed"
    assert set(receiver.received[0]["texts"]) == {"en", "es"}
    rows = list(csv.DictReader(io.StringIO(notices_csv([notice]))))
    assert [(row["school_code"], row["language"]) for row in rows] == [("SA", "en"), ("SA", "es")]


def test_the_schools_public_page_shows_a_published_notice_at_once(cast, client, django_capture_on_commit_callbacks):
    incident, _ = start_incident(cast.staff_a, "site_staff", cast.school_a, "on_campus")
    before = client.get("/schools/SA/").content.decode()  # its body is now kept for a minute
    assert "Agents were reported present at the school." not in before
    from django.core.cache import cache

    from safezones.readiness.public_views import public_page_key

    assert cache.get(public_page_key("SA", "en")) in before
    with django_capture_on_commit_callbacks(execute=True):
        approve_notice(
            cast.district_office,
            "district_office",
            request_notice(cast.admin_a, "site_admin", incident, "agents_present"),
        )
    assert "Agents were reported present at the school." in client.get("/schools/SA/").content.decode()
