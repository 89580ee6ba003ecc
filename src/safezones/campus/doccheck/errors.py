"""Input the check refuses to guess about, with a message for the person."""

from safezones.campus.doccheck.catalogue import _, translate

MAX_BYTES = 10 * 1024 * 1024


class DocumentError(Exception):
    """The document cannot be read well enough to advise on. `message` is
    the untranslated text; `in_language` gives it to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def in_language(self, lang: str) -> str:
        return translate(self.message, lang)


EMPTY = _("The document has no text to check. Type its words, or send a photo or PDF of it.")
TOO_LARGE = _("The file is larger than 10 MB. Send a smaller photo or only the pages of the document.")
WRONG_TYPE = _("This kind of file cannot be checked. Send a text file, a PDF, or a PNG or JPEG photo.")
UNREADABLE_IMAGE = _("The photo could not be opened. Take the photo again and send it as PNG or JPEG.")
NO_TEXT_IN_IMAGE = _(
    "No text could be read from the photo. Take a sharper, well-lit photo of the whole page, or type its words."
)
UNREADABLE_PDF = _("The PDF could not be read. Send a photo of each page instead, or type the document's words.")
OCR_MISSING = _("Photos cannot be read on this server: the text recognition program is not installed.")
