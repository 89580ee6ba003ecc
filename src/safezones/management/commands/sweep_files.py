import time
from typing import Any

from django.core.management.base import BaseCommand

from safezones.campus.documents import sweep_orphan_photos
from safezones.families.attachments import sweep_orphans


class Command(BaseCommand):
    help = (
        "Delete encrypted files that no record holds (family attachments, photos of agents' documents) "
        "once they are an hour old: what a submission stopped before it committed left behind."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = time.time()
        attachments, photos = sweep_orphans(now), sweep_orphan_photos(now)
        self.stdout.write(
            f"{attachments} attachment file(s) and {photos} document photo(s) no record holds were deleted."
        )
