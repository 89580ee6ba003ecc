from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.families.directory import import_directory, parse_directory
from safezones.lib.importing import read_file, stop_on_errors
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
        data = read_file(options["file"])
        parsed = parse_directory(data, district.zone)
        stop_on_errors(self.stderr, parsed.errors)
        created, updated = import_directory(parsed.rows)
        self.stdout.write(f"{created} created, {updated} updated")
