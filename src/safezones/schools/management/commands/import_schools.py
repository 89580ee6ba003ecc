from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.lib.importing import read_file, stop_on_errors
from safezones.schools.actions import import_schools
from safezones.schools.queries import current_district
from safezones.schools.roster import parse_roster


class Command(BaseCommand):
    help = (
        "Add or update schools from a CSV file with a header row (code, name, area, address, languages). "
        "The whole file is checked first; if any row is wrong, nothing changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        district = current_district()
        if district is None:
            raise CommandError("No district yet: run `safezones set-district` first.")
        data = read_file(options["file"])
        parsed = parse_roster(data)
        stop_on_errors(self.stderr, parsed.errors)
        summary = import_schools(None, district, parsed.rows)
        self.stdout.write(
            f"{len(summary.created)} created, {len(summary.updated)} updated, {len(summary.unchanged)} unchanged"
            + (f"; new areas: {', '.join(summary.areas_created)}" if summary.areas_created else "")
        )
