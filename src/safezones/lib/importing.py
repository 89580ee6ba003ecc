"""What every file-importing command does the same way: read the file, and
if any row is wrong, list every bad row with its line number and change nothing."""

from pathlib import Path

from django.core.management.base import CommandError, OutputWrapper


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None


def stop_on_errors(stderr: OutputWrapper, errors: list[tuple[int, str]]) -> None:
    if not errors:
        return
    for line, reason in errors:
        stderr.write(f"line {line}: {reason}")
    raise CommandError(f"{len(errors)} row(s) have errors; nothing was changed.")
