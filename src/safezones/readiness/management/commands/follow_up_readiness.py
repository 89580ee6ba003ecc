"""Take today's readiness scores and queue the week's reminders (safe to run
daily: each person hears at most once a week)."""

from typing import Any

from django.core.management.base import BaseCommand

from safezones.readiness.checklist import district_today
from safezones.readiness.followup import follow_up
from safezones.schools.queries import current_district


class Command(BaseCommand):
    help = "Take today's readiness scores and queue this week's reminders through the outbox."

    def handle(self, *args: Any, **options: Any) -> None:
        district = current_district()
        if district is None:
            return
        queued = follow_up(district, district_today(district))
        self.stdout.write(f"readiness: {queued} reminder(s) queued")
