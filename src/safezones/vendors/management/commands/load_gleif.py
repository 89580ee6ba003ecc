from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.schools.actions import SYSTEM_ROLE
from safezones.vendors.actions import gleif_leis, load_entity_names, load_ownership
from safezones.vendors.screening.gleif import (
    RELATIONSHIPS,
    GleifFileError,
    entity_names,
    open_gleif,
    read_header,
    relationships,
)


@contextmanager
def opened(path: Path) -> Iterator[tuple[str, Iterator[list[str]], dict[str, int]]]:
    """The kind, the rows and the column positions of a GLEIF file."""
    try:
        with open_gleif(path) as lines:
            yield read_header(lines)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
    except GleifFileError as error:
        raise CommandError(f"{path}: {error}") from None


class Command(BaseCommand):
    help = (
        "Load GLEIF golden-copy files (CSV, or the zip GLEIF publishes), streaming: level-2 relationship "
        "records become ownership edges (source GLEIF); level-1 LEI records give the legal names of the "
        "companies those edges name. Relationship files are read first, whatever the order given. "
        "Each file is loaded in one transaction: a file that fails changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        kinds: dict[Path, str] = {}
        for path in options["files"]:
            with opened(path) as (kind, _rows, _index):
                kinds[path] = kind
        for path in [p for p, kind in kinds.items() if kind == RELATIONSHIPS]:
            with opened(path) as (_kind, rows, index):
                count = load_ownership(None, SYSTEM_ROLE, relationships(rows, index), source=path.name)
            self.stdout.write(f"{path.name}: {count} ownership edges loaded")
        wanted = gleif_leis()
        for path in [p for p, kind in kinds.items() if kind != RELATIONSHIPS]:
            with opened(path) as (_kind, rows, index):
                count = load_entity_names(None, SYSTEM_ROLE, entity_names(rows, index, wanted))
            self.stdout.write(f"{path.name}: {count} names of companies in ownership edges loaded")
