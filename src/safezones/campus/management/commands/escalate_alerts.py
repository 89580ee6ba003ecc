"""Alert the next call-down level for every incident nobody acknowledged in
time. Each alert schedules its own check; this catches any a stopped worker missed."""

from typing import Any

from django.core.management.base import BaseCommand

from safezones.campus.alerts import escalate_due


class Command(BaseCommand):
    help = "Alert the next call-down level of every incident whose alert went unacknowledged past the limit."

    def handle(self, *args: Any, **options: Any) -> None:
        count = escalate_due()
        self.stdout.write(f"Escalated {count} incident(s).")
