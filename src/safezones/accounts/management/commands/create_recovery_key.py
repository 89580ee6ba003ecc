import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safezones.accounts.models import Office
from safezones.audit.actions import record
from safezones.lib import crypto
from safezones.schools.models import District


class Command(BaseCommand):
    help = (
        "Create the district's recovery key: prints the private half once, to print on paper and lock away; "
        "keeps only the public half. Offices created from then on can be recovered with it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--replace", action="store_true", help="replace an existing recovery key")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            district = District.objects.select_for_update().first()
            if district is None:
                raise CommandError("No district yet: run `safezones set-district` first.")
            if district.recovery_public_key and not options["replace"]:
                raise CommandError("The district already has a recovery key; use --replace to make a new one.")
            pair = crypto.new_key_pair()
            district.recovery_public_key = pair.public
            district.save(update_fields=["recovery_public_key"])
            record(None, "district.recovery_key_created", district, role="system")
        without = Office.objects.filter(recovery_sealed_private_key__isnull=True).count()
        text = base64.b32encode(pair.private).decode().rstrip("=")
        self.stdout.write(
            "Recovery key: print it, lock it away offline. It is needed only if every member of an office loses access:"
        )
        self.stdout.write("  " + " ".join(text[i : i + 4] for i in range(0, len(text), 4)))
        if without:
            self.stdout.write(f"{without} office(s) created earlier have no recovery copy of their key.")
