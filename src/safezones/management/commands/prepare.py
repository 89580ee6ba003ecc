from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.demo import RealDataError, load_demo


class Command(BaseCommand):
    help = (
        "Bring the database up to date (migrations, cache table, static files) "
        "and, with --demo, load the demo district once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="load the fictional demo district if absent")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["demo"]:
            try:
                loaded = load_demo()
            except RealDataError as error:
                raise CommandError(str(error)) from None
            self.stdout.write("Loaded the demo district." if loaded else "The demo district is already loaded.")
