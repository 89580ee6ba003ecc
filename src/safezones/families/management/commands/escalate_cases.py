from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from safezones.families.escalation import escalate_overdue


class Command(BaseCommand):
    help = "Move family cases that missed a deadline to the next office."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{escalate_overdue(timezone.localdate())} case(s) escalated.")
