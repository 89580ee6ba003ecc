"""Import training records from the district's learning system (CSV)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.lib.importing import read_file, stop_on_errors
from safezones.readiness.actions import import_training
from safezones.readiness.checklist import district_today
from safezones.readiness.training import parse_training
from safezones.schools.models import School
from safezones.schools.queries import current_district


class Command(BaseCommand):
    help = "Import training records (employee_id, school, course, completion_date[, role]); all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        district = current_district()
        if district is None:
            raise CommandError("Set up the district first (safezones set-district).")
        codes = set(School.objects.values_list("code", flat=True))
        parsed = parse_training(read_file(options["path"]), codes, district_today(district))
        stop_on_errors(self.stderr, parsed.errors)
        summary = import_training(None, "system", district, parsed.rows)
        self.stdout.write(
            f"{len(parsed.rows)} rows: {summary.staff_added} staff added, {summary.staff_updated} changed, "
            f"{summary.completions_added} new completions"
        )
