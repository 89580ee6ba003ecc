"""What the work does for enforcement, read from the award itself: the
product or service code, the NAICS code, the awarding office and the words of
the description. Separate from match confidence: a radio and a detention bed
are both enforcement awards, but not equally grave."""

import re
from enum import IntEnum


class Severity(IntEnum):
    OTHER = 1  # other services: office supplies, training, publishing
    OPERATIONS = 2  # enforcement operations: weapons, vehicles, radios, field equipment
    SURVEILLANCE = 3  # surveillance and data: databases, analytics, case systems, plate readers
    DETENTION = 4  # detention, removal, transport of detainees, electronic monitoring

    @property
    def code(self) -> str:
        return _CODES[self]

    @classmethod
    def from_code(cls, code: str) -> "Severity":
        return {v: k for k, v in _CODES.items()}[code]


_CODES = {
    Severity.OTHER: "other",
    Severity.OPERATIONS: "operations",
    Severity.SURVEILLANCE: "surveillance",
    Severity.DETENTION: "detention",
}

_WORDS: list[tuple[Severity, re.Pattern[str]]] = [
    (
        Severity.DETENTION,
        re.compile(
            r"detention|detainee|deport|removal|isap|alternatives? to detention|electronic monitoring|ankle"
            r"|bed ?space|igsa|guard services|transportation of (aliens|detainees)|juvenile|family residential"
        ),
    ),
    (
        Severity.SURVEILLANCE,
        re.compile(
            r"license plate|\blpr\b|\bclear\b|database|data broker|analytic|surveillance|facial|biometric"
            r"|palantir|falcon|case management|social media|location data|accurint|vigilant|clearview"
            r"|investigat|intelligence|records? (search|access)|skip.?trac|cell ?phone|forensic"
        ),
    ),
    (
        Severity.OPERATIONS,
        re.compile(
            r"firearm|weapon|ammunition|rifle|pistol|holster|body armor|tactical|vehicle|radio|handcuff"
            r"|restraint|taser|aircraft|charter|flight|night vision|enforcement"
        ),
    ),
]
_OFFICES = [
    (Severity.DETENTION, re.compile(r"detention|removal")),
    (Severity.SURVEILLANCE, re.compile(r"homeland security investigations|\bhsi\b|intelligence")),
]
# Product and service codes: S206 guard services, weapons (10), ammunition (13),
# vehicles (23), communication equipment (58); NAICS 561612 guards, 332992/332994
# ammunition and small arms, 518210 data processing and hosting.
_PSC = [
    (Severity.DETENTION, ("S206", "V225", "R429")),
    (Severity.SURVEILLANCE, ("D317", "DA01", "R408", "7G21")),
    (Severity.OPERATIONS, ("10", "13", "23", "58", "84", "V1")),
]
_NAICS = [
    (Severity.DETENTION, ("561612", "623", "721", "922140")),
    (Severity.SURVEILLANCE, ("518210", "519", "541511", "541512", "561611")),
    (Severity.OPERATIONS, ("332992", "332994", "336", "334220", "481")),
]


def classify(description: str, office: str = "", psc: str = "", naics: str = "") -> Severity:
    """The gravest reading of the description and the codes, else of the office."""
    found = Severity.OTHER
    text = description.lower()
    for severity, pattern in _WORDS:
        if severity > found and pattern.search(text):
            found = severity
    for severity, prefixes in _PSC:
        if severity > found and psc.upper().startswith(prefixes):
            found = severity
    for severity, prefixes in _NAICS:
        if severity > found and naics.startswith(prefixes):
            found = severity
    if found == Severity.OTHER:  # the office tells only when the work itself does not
        for severity, pattern in _OFFICES:
            if pattern.search(office.lower()):
                return severity
    return found
