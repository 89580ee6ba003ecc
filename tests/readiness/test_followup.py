from datetime import timedelta

from django.core.management import call_command

from safezones.outbox.models import OutgoingMessage
from safezones.readiness.actions import attest_item
from safezones.readiness.checklist import district_today
from safezones.readiness.followup import follow_up
from safezones.readiness.models import ScoreSnapshot


def test_site_administrators_and_area_offices_hear_once_a_week(cast):
    today = district_today(cast.district)
    attest_item(cast.admin_a, "site_admin", cast.school_a, "call-down-list", on=today - timedelta(days=75))
    queued = follow_up(cast.district, today)
    recipients = sorted(OutgoingMessage.objects.values_list("recipient", flat=True))
    # School A's administrator, and the two area offices; nobody at the other schools holds the role.
    assert recipients == ["ana@a.test", "carla@area1.test", "chen@area2.test"]
    assert queued == 3
    reminder = OutgoingMessage.objects.get(recipient="ana@a.test")
    assert "Expires within 30 days: A current call-down list" in reminder.body
    assert "Missing or expired: A printed protocol at the front office" in reminder.body
    assert "/staff/readiness/schools/SA/" in reminder.body
    assert follow_up(cast.district, today) == 0  # the same week: nothing again
    assert ScoreSnapshot.objects.filter(on=today).count() == 3


def test_the_command_runs_the_follow_up(cast):
    call_command("follow_up_readiness")
    assert OutgoingMessage.objects.filter(subject="Safe Zones: weekly readiness summary").count() == 2
