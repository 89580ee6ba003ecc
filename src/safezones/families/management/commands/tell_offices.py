from typing import Any

from django.core.management.base import BaseCommand

from safezones.families.actions import tell_untold_offices


class Command(BaseCommand):
    help = "Send the notices of new family cases whose task was lost."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{tell_untold_offices()} case(s) whose offices were not told yet.")
