import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safezones.campus.doccheck import MAX_BYTES, DocumentError, check_text, read_document
from safezones.campus.doccheck.district import district_today
from safezones.campus.doccheck.errors import TOO_LARGE


class Command(BaseCommand):
    help = (
        "Say what kind of document a text file, PDF or photo (PNG or JPEG) is, why, and what to do next. "
        "Prints one JSON object. It advises; it never declares a document valid."
    )
    requires_system_checks: list[str] = []  # a reading tool: it must work before the site is set up

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a text file, a PDF, or a PNG or JPEG photo of the document")
        parser.add_argument("--lang", choices=["en", "es"], default="en", help="language of the advice")
        parser.add_argument("--school", help="the school's name, to notice a document naming another school")

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options["lang"]
        try:
            text = read_document(_read(Path(options["path"])))
        except DocumentError as refusal:
            raise CommandError(refusal.in_language(lang)) from refusal
        result = check_text(text, lang, school_name=options["school"], today=district_today())
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:  # refused before it is read into memory
            raise DocumentError(TOO_LARGE)
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error
