"""The document check: what kind of document agents show, why, and what to
do next. Plain Python, no Django: the command line, the API, the tests and
the benchmarks call the same code.

    check_text(text, lang) -> Result        the words of a document
    read_document(data) -> str              a file's bytes: text, PDF or photo
"""

from safezones.campus.doccheck.engine import check_text
from safezones.campus.doccheck.errors import MAX_BYTES, DocumentError
from safezones.campus.doccheck.intake import read_document
from safezones.campus.doccheck.result import Concern, Kind, Result

__all__ = ["MAX_BYTES", "Concern", "DocumentError", "Kind", "Result", "check_text", "read_document"]
