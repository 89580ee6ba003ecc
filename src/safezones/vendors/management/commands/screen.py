"""`safezones screen`: screen any vendor list against award files, with no
web app and no database. For journalists, advocates and other districts."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.vendors.screening import DEFAULT_AGENCIES, THRESHOLD, AwardFileError, ReferenceIndex, read_awards, screen
from safezones.vendors.screening.tables import (
    TableError,
    add_evidence,
    evidence_problems,
    read_evidence,
    read_vendor_table,
    write_csv,
    write_ftm,
    write_json,
)


class Command(BaseCommand):
    help = (
        "Screen a vendor list (CSV with a vendor, vendor_name, name or supplier column) against USAspending "
        "award files and write the findings as CSV, JSON or FollowTheMoney JSON lines."
    )
    requires_system_checks: list[str] = []  # no database, no settings beyond the defaults

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--vendors", type=Path, required=True, help="the vendor list (CSV)")
        parser.add_argument("--awards", type=Path, action="append", required=True, help="an award file; repeatable")
        parser.add_argument("--evidence", type=Path, action="append", default=[], help="curated evidence (CSV or YAML)")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--format", choices=["csv", "json", "ftm"], default="csv")
        parser.add_argument("--name-column", default="")
        parser.add_argument("--agencies", default=",".join(sorted(DEFAULT_AGENCIES)), help="sub-agency codes, or 'all'")
        parser.add_argument("--threshold", type=float, default=THRESHOLD)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = None if options["agencies"] == "all" else frozenset(options["agencies"].split(","))
        index = ReferenceIndex()
        for path in options["awards"]:
            self._load(index, path, agencies, quiet=options["quiet"])
        for path in options["evidence"]:
            self._evidence(index, path)
        vendors = self._vendors(options["vendors"], options["name_column"])
        progress = None if options["quiet"] else _Bar(len(vendors), "screened").update
        findings = screen(vendors, index, threshold=options["threshold"], progress=progress)
        writer = {"csv": write_csv, "json": write_json, "ftm": write_ftm}[options["format"]]
        with options["out"].open("w", encoding="utf-8", newline="") as out:
            count = writer(findings, out)
        flagged = len({f.vendor_ref for f in findings})
        self.stdout.write(
            f"{len(vendors)} vendors screened, {flagged} with findings; {count} records in {options['out']}"
        )

    def _load(self, index: ReferenceIndex, path: Path, agencies: frozenset[str] | None, *, quiet: bool) -> None:
        bar = None if quiet else _Bar(0, f"rows of {path.name}")
        try:
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
                for number, row in enumerate(read_awards(lines, agencies, path.name), 1):
                    index.add_award(row)
                    if bar is not None and number % 10_000 == 0:
                        bar.update(number)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except AwardFileError as error:
            raise CommandError(f"{path}: {error}") from None
        if bar is not None:
            bar.update(index.rows, last=True)

    def _evidence(self, index: ReferenceIndex, path: Path) -> None:
        try:
            rows = read_evidence(path.read_text(encoding="utf-8-sig"), yaml_file=path.suffix in (".yaml", ".yml"))
        except (OSError, TableError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from None
        problems = [(line, "; ".join(p)) for line, row in rows if (p := evidence_problems(row))]
        for line, text in problems:
            self.stderr.write(f"{path}: line {line}: {text}")
        if problems:
            raise CommandError(f"{len(problems)} evidence row(s) have errors; nothing was screened.")
        add_evidence(index, [row for _, row in rows])

    def _vendors(self, path: Path, name_column: str) -> list[Any]:
        try:
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
                return list(read_vendor_table(lines, name_column))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except TableError as error:
            raise CommandError(f"{path}: {error}") from None


class _Bar:
    """A one-line progress bar on standard error."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label

    def update(self, count: int, *, last: bool = False) -> None:
        finished = last or (self.total and count >= self.total)
        if self.total:
            filled = int(30 * count / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {count}/{self.total} {self.label}")
        else:
            sys.stderr.write(f"\r{count:,} {self.label}")
        if finished:
            sys.stderr.write("\n")
        sys.stderr.flush()
