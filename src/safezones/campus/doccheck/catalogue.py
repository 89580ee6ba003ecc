"""Translation without Django: the same compiled catalogue the site uses
(locale/<lang>/LC_MESSAGES/django.mo), read with the standard library, so the
command line, the API, the tests and the benchmarks get the same words and
the engine never needs Django's settings.

`_` only marks a message for `makemessages`; `translate` looks it up.
"""

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ("en", "es")


def _(message: str) -> str:
    return message


def translate(message: str, lang: str) -> str:
    return _catalogue(lang).gettext(message)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"no document-check wording in {lang!r}")
    return gettext.translation("django", LOCALE_DIR, languages=[lang], fallback=lang == "en")
