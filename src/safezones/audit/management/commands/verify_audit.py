from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safezones.audit.queries import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first event that was changed, removed or reordered."

    def handle(self, *args: Any, **options: Any) -> None:
        count, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"Audit log broken at event #{broken.seq}: {broken.reason}.")
        self.stdout.write(f"Audit log intact: {count} events.")
