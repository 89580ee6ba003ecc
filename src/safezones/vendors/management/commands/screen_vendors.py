from typing import Any

from django.core.management.base import BaseCommand

from safezones.schools.actions import SYSTEM_ROLE
from safezones.vendors.actions import run_screening


class Command(BaseCommand):
    help = "Screen the district's stored vendors against the stored award data and evidence."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = run_screening(None, SYSTEM_ROLE)
        self.stdout.write(
            f"{summary.vendors} vendors screened: {summary.findings} findings, {summary.new} new, "
            f"{summary.reopened} reopened because their evidence changed"
        )
