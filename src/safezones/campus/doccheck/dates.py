"""Dates as documents write them, in English and Spanish.

Numeric dates are read month first (11/20/2026), the way United States forms
write them, unless the first number cannot be a month.
"""

import re
from datetime import date

MONTHS = {
    "january": 1, "jan": 1, "enero": 1, "ene": 1,
    "february": 2, "feb": 2, "febrero": 2,
    "march": 3, "mar": 3, "marzo": 3,
    "april": 4, "apr": 4, "abril": 4, "abr": 4,
    "may": 5, "mayo": 5,
    "june": 6, "jun": 6, "junio": 6,
    "july": 7, "jul": 7, "julio": 7,
    "august": 8, "aug": 8, "agosto": 8, "ago": 8,
    "september": 9, "sept": 9, "sep": 9, "septiembre": 9, "setiembre": 9,
    "october": 10, "oct": 10, "octubre": 10,
    "november": 11, "nov": 11, "noviembre": 11,
    "december": 12, "dec": 12, "diciembre": 12, "dic": 12,
}  # fmt: skip
MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"(?P<day>[0-3]?\d)"
YEAR = r"(?P<year>(?:19|20)\d\d)"
WRITTEN_DATES = [
    re.compile(rf"\b{MONTH}[ \t]+{DAY}(?:st|nd|rd|th)?,?[ \t]+{YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{DAY}[ \t]+(?:de[ \t]+)?{MONTH},?[ \t]+(?:de(?:l)?[ \t]+)?{YEAR}\b", re.IGNORECASE),
]
NUMERIC_DATE = re.compile(r"\b(?P<first>[0-3]?\d)[/-](?P<second>[0-3]?\d)[/-](?P<year>(?:19|20)?\d\d)\b")
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")


def date_at(text: str, start: int) -> tuple[date, int] | None:
    """The date that begins at `start` (after blanks), and where it ends."""
    offset = len(text[start:]) - len(text[start:].lstrip(" \t:"))
    for pattern in [*WRITTEN_DATES, NUMERIC_DATE, ISO_DATE]:
        match = pattern.match(text, start + offset)
        if match and (found := _date_of(match)):
            return found, match.end()
    return None


def _date_of(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    if "first" in parts:
        month, day = _month_and_day(int(parts["first"]), int(parts["second"]))
    else:
        month = int(parts["month"]) if parts["month"].isdigit() else MONTHS[parts["month"].lower()]
        day = int(parts["day"])
    year = int(parts["year"])
    year += 2000 if year < 100 else 0
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_and_day(first: int, second: int) -> tuple[int, int]:
    return (second, first) if first > 12 else (first, second)


def dates_after(cues: re.Pattern[str], text: str) -> list[date]:
    """Every date written right after one of the cue phrases."""
    found = []
    for cue in cues.finditer(text):
        if dated := date_at(text, cue.end()):
            found.append(dated[0])
    return found
