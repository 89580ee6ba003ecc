from typing import Any

from django.core.management.base import BaseCommand

from safezones.outbox.actions import retry_due


class Command(BaseCommand):
    help = (
        "Queue again every pending message whose time has come and whose task was lost (a safety net "
        "after a worker was down; run it every few minutes from a timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{retry_due()} message(s) queued for delivery.")
