"""The district's housekeeping, run on a schedule: tell the offices of new
family cases whose task was lost, move overdue family cases and
unacknowledged incident alerts up, destroy expired case content, queue
again any message whose delivery is due, send readiness reminders,
delete the records of background tasks finished a week ago, and delete
encrypted files that no record holds."""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

JOBS = (
    "tell_offices",
    "escalate_cases",
    "escalate_alerts",
    "apply_retention",
    "deliver_outbox",
    "follow_up_readiness",
    "prune_tasks",
    "sweep_files",
)


class Command(BaseCommand):
    help = "Run the periodic jobs once, or with --every SECONDS in a loop (for `safezones serve` or a service)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every SECONDS (0: run once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for job in JOBS:
                call_command(job, stdout=self.stdout)
            close_old_connections()
            if not options["every"]:
                return
            time.sleep(options["every"])
