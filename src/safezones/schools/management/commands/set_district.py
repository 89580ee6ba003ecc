from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.schools.actions import set_district


class Command(BaseCommand):
    help = "Create or update the district: name, time zone, policy reference, languages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--time-zone", required=True, help="for example America/Los_Angeles")
        parser.add_argument("--policy-reference", default="", help="for example REF-6767.5")
        parser.add_argument("--languages", default="en,es", help="codes separated by commas")
        parser.add_argument("--area-label", default="Area", help="the district's word for an area")
        parser.add_argument("--area-label-plural", default="Areas")

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [code.strip().lower() for code in options["languages"].split(",") if code.strip()]
        try:
            district = set_district(
                None,
                name=options["name"],
                time_zone=options["time_zone"],
                policy_reference=options["policy_reference"],
                languages=languages,
                area_label=options["area_label"],
                area_label_plural=options["area_label_plural"],
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
            raise CommandError(messages) from None
        self.stdout.write(f"District saved: {district.name}")
