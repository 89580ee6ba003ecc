"""Who and where a document names: the person sought, the place to search,
the school. A warrant that names neither is a warrant for nothing in
particular, and one that names another school is not about this one."""

import re

from safezones.campus.doccheck.text import fold, phrase

UPPER = "A-ZÁÉÍÓÚÑ"
LOWER = "a-záéíóúñ"
WORD = rf"[{UPPER}][{LOWER}'-]+"
JOINER = r"(?:de[ \t]+(?:la[ \t]+|los[ \t]+)?|del[ \t]+)?"
NAME = rf"{WORD}(?:[ \t]+{JOINER}{WORD}){{1,4}}|[{UPPER}]{{2,}}(?:[ \t]+[{UPPER}]{{2,}}){{1,3}}"
PERSON_LABEL = (
    r"\(name of person to be arrested\)|name of (?:alien|subject|person|respondent)|full name"
    r"|nombre(?: del extranjero| de la persona| completo)?|subject|sujeto|respondent|defendant|demandado|acusado"
)
PEOPLE = [
    re.compile(rf"(?i:{PERSON_LABEL})[ \t]*[:)]?[ \t]*\n?[ \t]*(?P<name>{NAME})"),
    re.compile(rf"(?i:believe that|creer que)\s+(?P<name>{NAME})"),
    re.compile(rf"\b(?i:v\.|vs\.)[ \t]*\n?[ \t]*(?P<name>{NAME})"),
    re.compile(rf"(?P<name>{NAME})[ \t]*\n(?:[ \t]*\n)?[ \t]*\((?i:full name|name of|nombre)"),
]

STREET = (
    r"Street|St|Avenue|Ave|Boulevard|Blvd|Road|Rd|Drive|Dr|Way|Lane|Ln|Place|Pl|Court|Ct|Plaza"
    r"|Highway|Hwy|Parkway|Pkwy|Broadway"
)
DIRECTION = r"(?:[NSEW]\.?|North|South|East|West)[ \t]+"
CALLE = r"Calle|Avenida|Av\.|Camino|Paseo|Bulevar"
PLACES = [
    re.compile(rf"\b\d{{1,6}}[ \t]+(?:{DIRECTION})?(?:[A-Z0-9][\w'.-]*[ \t]+){{0,3}}(?:{STREET})\b"),
    re.compile(rf"\b\d{{1,6}}[ \t]+(?:{CALLE})[ \t]+[{UPPER}][\w'-]*"),
    re.compile(rf"\b(?:{CALLE})[ \t]+[{UPPER}][\w'-]*[ \t,]+(?:#|No\.?|N[úu]m\.?)?[ \t]*\d{{1,6}}\b"),
    phrase("premises known as", "premises located at", "property located at", "residence located at"),
]

NOT_A_NAME_WORD = r"(?<!\bof )(?<!\bthe )(?<!\bany )(?<!\bfor )(?<!\bOF )(?<!\bTHE )(?<!\bANY )(?<!\bFOR )"
SCHOOLS = [
    re.compile(rf"\b(?:[A-Z][\w'.-]*[ \t]+){{1,4}}{NOT_A_NAME_WORD}School\b(?![ \t]+(?:District|Board))"),
    re.compile(rf"\b(?:[A-Z][A-Z'.-]*[ \t]+){{1,4}}{NOT_A_NAME_WORD}SCHOOL\b(?![ \t]+(?:DISTRICT|BOARD))"),
    re.compile(
        rf"\b(?:Escuela|ESCUELA)(?:[ \t]+(?i:primaria|secundaria|preparatoria|elemental|intermedia))?"
        rf"(?:[ \t]+[{UPPER}][\w'-]*){{1,3}}"
    ),
]


def find_people(text: str) -> list[re.Match[str]]:
    return _all(PEOPLE, text)


def find_places(text: str) -> list[re.Match[str]]:
    return _all(PLACES, text)


def find_schools(text: str) -> list[re.Match[str]]:
    return _all(SCHOOLS, text)


def names_school(text: str, school_name: str) -> bool:
    """Whether the school's name appears, however it is capitalized or accented."""
    wanted = fold(school_name)
    return bool(wanted) and f" {wanted} " in f" {fold(text)} "


def _all(patterns: list[re.Pattern[str]], text: str) -> list[re.Match[str]]:
    return [match for pattern in patterns for match in pattern.finditer(text)]
