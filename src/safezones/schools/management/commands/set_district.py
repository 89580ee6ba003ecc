from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.schools.actions import set_district


def parse_area_word(value: str) -> tuple[str, list[str]]:
    """`en=Local District/Local Districts` -> ("en", ["Local District", "Local Districts"])."""
    code, _, words = value.partition("=")
    singular, _, plural = words.partition("/")
    if not code.strip() or not singular.strip() or not plural.strip():
        raise CommandError(f"--area-word {value!r}: write it as LANG=SINGULAR/PLURAL, e.g. en=Region/Regions.")
    return code.strip().lower(), [singular.strip(), plural.strip()]


class Command(BaseCommand):
    help = "Create or update the district: name, time zone, policy reference, languages, its word for an area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--time-zone", required=True, help="for example America/Los_Angeles")
        parser.add_argument("--policy-reference", default="", help="for example REF-6767.5")
        parser.add_argument("--languages", default="en,es", help="codes separated by commas")
        parser.add_argument(
            "--area-word",
            action="append",
            default=[],
            metavar="LANG=SINGULAR/PLURAL",
            help="the district's word for an area, once per language, e.g. 'es=Distrito Local/Distritos Locales'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [code.strip().lower() for code in options["languages"].split(",") if code.strip()]
        area_words = dict(parse_area_word(value) for value in options["area_word"])
        try:
            district = set_district(
                None,
                name=options["name"],
                time_zone=options["time_zone"],
                policy_reference=options["policy_reference"],
                languages=languages,
                area_words=area_words,
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
            raise CommandError(messages) from None
        self.stdout.write(f"District saved: {district.name}")
