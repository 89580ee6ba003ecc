"""The district's housekeeping, run on a schedule: move overdue family cases
up, destroy expired case content, and queue again any message whose delivery
is due."""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

JOBS = ("escalate_cases", "apply_retention", "deliver_outbox")


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
