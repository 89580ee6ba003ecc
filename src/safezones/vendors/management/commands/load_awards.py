from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.schools.actions import SYSTEM_ROLE
from safezones.vendors.actions import load_awards
from safezones.vendors.screening import DEFAULT_AGENCIES, AwardFileError, read_awards


class Command(BaseCommand):
    help = (
        "Load federal award data as USAspending publishes it (award summaries or transactions, CSV), "
        "streaming. Only the agencies that count are kept (default: ICE 7012 and CBP 7014). "
        "Each file is loaded in one transaction: a file that fails changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--agencies", default=",".join(sorted(DEFAULT_AGENCIES)), help="sub-agency codes, or 'all'")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = None if options["agencies"] == "all" else frozenset(options["agencies"].split(","))
        for path in options["files"]:
            try:
                with path.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
                    count = load_awards(None, SYSTEM_ROLE, read_awards(lines, agencies, path.name), source=path.name)
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
            except AwardFileError as error:
                raise CommandError(f"{path}: {error}") from None
            self.stdout.write(f"{path.name}: {count} rows loaded")
