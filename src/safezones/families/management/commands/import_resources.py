from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.families.directory import import_directory, parse_directory
from safezones.schools.queries import current_district


class Command(BaseCommand):
    help = (
        "Add or update the resource directory from a CSV file (kind, name, last_verified, and optionally "
        "description, phone, website, address, languages, areas, cost, hours, starts_at). "
        "The whole file is checked first; if any row is wrong, nothing changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        district = current_district()
        if district is None:
            raise CommandError("No district yet: run `safezones set-district` first.")
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from None
        parsed = parse_directory(data, district.zone)
        if parsed.errors:
            for line, reason in parsed.errors:
                self.stderr.write(f"line {line}: {reason}")
            raise CommandError(f"{len(parsed.errors)} row(s) have errors; nothing was changed.")
        created, updated = import_directory(parsed.rows)
        self.stdout.write(f"{created} created, {updated} updated")
