"""Reading the words in a photo of a document, in English and Spanish.

Tesseract (Debian's tesseract-ocr with the Spanish data) read our test
photos with under 1 % of characters wrong in well under a second; see
docs of the document check for the comparison with rapidocr.
"""

import io
import os
import shutil
import subprocess
import warnings

from PIL import Image, ImageOps

from safezones.campus.doccheck import errors
from safezones.campus.doccheck.errors import DocumentError

LANGUAGES = "eng+spa"
# A phone photo is 12 megapixels; Tesseract reads a page as well at 2,000
# pixels on the long side, several times faster.
LONG_SIDE = 2000
MAX_PIXELS = 60_000_000  # a larger "photo" is more likely a decompression bomb than a page
# One thread: Tesseract's own threading made a page three to five times
# slower on our two-core machines.
ENVIRONMENT = {"OMP_THREAD_LIMIT": "1"}
TIMEOUT_SECONDS = 60
MIN_LETTERS = 20  # fewer letters than this is noise, not a document


def read_image(data: bytes) -> str:
    page = _page(_open(data))
    text = _tesseract(_png(page))
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        raise DocumentError(errors.NO_TEXT_IN_IMAGE)
    return text


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise DocumentError(errors.UNREADABLE_IMAGE)
            image.load()
    except DocumentError:
        raise
    except Exception as error:  # Pillow raises many kinds of error on damaged files, not only OSError
        raise DocumentError(errors.UNREADABLE_IMAGE) from error
    return image


def _page(image: Image.Image) -> Image.Image:
    """Upright (phones record the turn in EXIF), grey, and no larger than needed."""
    page = (ImageOps.exif_transpose(image) or image).convert("L")
    scale = LONG_SIDE / max(page.size)
    if scale < 1:
        page = page.resize((round(page.width * scale), round(page.height * scale)), Image.Resampling.LANCZOS)
    return page


def _png(page: Image.Image) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    return buffer.getvalue()


def _tesseract(png: bytes) -> str:
    program = shutil.which("tesseract")
    if program is None:
        raise DocumentError(errors.OCR_MISSING)
    # psm 6 reads the page as one block, row by row: on forms it kept each
    # label beside its value and made fewer errors than automatic layout.
    command = [program, "stdin", "stdout", "-l", LANGUAGES, "--psm", "6"]
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program and arguments; the image goes to stdin
            command, input=png, capture_output=True, check=True, timeout=TIMEOUT_SECONDS, env=_environment()
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise DocumentError(errors.NO_TEXT_IN_IMAGE) from error
    return done.stdout.decode("utf-8", errors="replace")


def _environment() -> dict[str, str]:
    return {**os.environ, **ENVIRONMENT}
