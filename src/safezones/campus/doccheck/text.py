"""Reading words as they arrive: typed in a hurry, or read by OCR from a photo.

Markers are written as plain phrases and compiled into patterns that forgive
what a phone photo or hurried typing does to them: any case, accents present
or missing, a space inserted inside a word or lost between words, and the
letters OCR confuses most (o and 0, l and 1 and I, m and rn).
"""

import re
import unicodedata

# Each letter may be read as any of these. Kept small: every extra look-alike
# makes a false match more likely.
LOOK_ALIKES = {
    "a": "aáà",
    "e": "eéè",
    "i": "iíl1|",
    "l": "l1|i",
    "o": "oó0",
    "u": "uúü",
    "n": "nñ",
}
PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
DASHES = re.compile(r"[\u2010-\u2015\u2212]")
INSIDE_WORD = r"\s?"  # OCR splits words ("WARR ANT")
BETWEEN_WORDS = r"[\W_]*"  # and joins them ("FORARREST"), or keeps punctuation
NOT_A_LETTER_BEFORE = r"(?<![^\W\d_])"
NOT_A_LETTER_AFTER = r"(?![^\W\d_])"


def prepare(text: str) -> str:
    """One spelling for quotes, dashes and spaces, so patterns stay simple."""
    text = unicodedata.normalize("NFC", text).translate(PUNCTUATION)
    return DASHES.sub("-", text).replace("\r\n", "\n").replace("\r", "\n")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def phrase(*alternatives: str) -> re.Pattern[str]:
    """A tolerant pattern matching any of the phrases as whole words."""
    body = "|".join(_phrase_body(alternative) for alternative in alternatives)
    return re.compile(f"{NOT_A_LETTER_BEFORE}(?:{body}){NOT_A_LETTER_AFTER}", re.IGNORECASE)


def _phrase_body(words: str) -> str:
    return BETWEEN_WORDS.join(_word(word) for word in words.split())


def _word(word: str) -> str:
    return INSIDE_WORD.join(_letter(char) for char in word)


def _letter(char: str) -> str:
    lower = _unaccented(char.lower())
    if lower == "m":
        return "(?:m|rn)"
    if lower in LOOK_ALIKES:
        return "[" + re.escape(LOOK_ALIKES[lower]) + "]"
    return re.escape(char)


def _unaccented(char: str) -> str:
    return unicodedata.normalize("NFKD", char)[0]
