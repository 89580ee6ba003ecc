from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from safezones.families.retention import apply_retention


class Command(BaseCommand):
    help = "Destroy what families wrote in cases closed longer ago than the district's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{apply_retention(timezone.localdate())} case(s) had their content destroyed.")
