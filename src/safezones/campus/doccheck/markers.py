"""Finding the markers in a document's text: each one a name and the words
that show it, in the order they appear."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from safezones.campus.doccheck import parties, rules
from safezones.campus.doccheck.rules import Rule

MAX_MARKER_TEXT = 120
SIGNATURE_WORDS = [
    re.compile(r"/s/[ \t]*\S[^\n]*"),
    re.compile(rf"\b(?i:signed|firmado|firmada)(?:[ \t]+(?i:by|por)[ \t]*:?|[ \t]*:)[ \t]*(?:{parties.NAME})"),
    re.compile(r"[\[(](?i:signed|firmado|firmada|signature on file|firma)[\])]"),
]
SIGNATURE_LABEL = re.compile(r"^[ \t]*\(?[^\n]{0,50}\b(?i:signature|firma)[^\n]{0,60}$")
NAME_LINE = re.compile(rf"^[ \t]*(?:{parties.NAME})[ \t]*$")


@dataclass(frozen=True)
class Marker:
    name: str
    text: str
    start: int
    rule: Rule | None = None

    def to_json(self) -> dict[str, str]:
        return {"marker": self.name, "text": self.text}


def marker(name: str, match: re.Match[str], rule: Rule | None = None, group: int | str = 0) -> Marker:
    words = " ".join(match.group(group).split())
    return Marker(name, words[:MAX_MARKER_TEXT], match.start(group), rule)


def find_rules(text: str, rule_list: list[Rule]) -> list[Marker]:
    """Markers for every rule, each span of text used by one rule only: the
    first (most specific) rule that reads it."""
    found: list[Marker] = []
    taken: list[tuple[int, int]] = []
    for rule in rule_list:
        for match in rule.pattern.finditer(text):
            if not any(match.start() < end and start < match.end() for start, end in taken):
                taken.append(match.span())
                found.append(marker(rule.marker, match, rule))
    return found


def find_signers(text: str) -> list[Marker]:
    """Titles of the people who signed, not of those the document speaks to."""
    return [
        marker(rule.marker, match, rule)
        for rule in rules.SIGNERS
        for match in rule.pattern.finditer(text)
        if _is_signer(text, match)
    ]


def _is_signer(text: str, match: re.Match[str]) -> bool:
    line_start = text.rfind("\n", 0, match.start()) + 1
    if text[line_start : match.start()].lstrip().startswith("("):
        return False  # a printed label: "(Title of immigration officer)"
    before = text[max(line_start, match.start() - 40) : match.start()]
    after = text[match.end() : match.end() + 20]
    return not rules.NOT_A_SIGNER_JUST_BEFORE.search(before) and not rules.NOT_A_SIGNER_AFTER.match(after)


def find_signatures(text: str) -> list[Marker]:
    """A signature in words: "/s/ Name", "Signed: Name", or a name written on
    the line above a signature label."""
    found = [marker("signature", match) for pattern in SIGNATURE_WORDS for match in pattern.finditer(text)]
    return found + list(_names_above_labels(text))


def _names_above_labels(text: str) -> Iterable[Marker]:
    previous, previous_start, offset = "", 0, 0
    for line in text.split("\n"):
        if SIGNATURE_LABEL.match(line) and (name := NAME_LINE.match(previous)):
            yield Marker("signature", " ".join(name.group(0).split()), previous_start)
        if line.strip():  # OCR leaves blank lines between a name and its label
            previous, previous_start = line, offset
        offset += len(line) + 1


def find_parties(text: str) -> list[Marker]:
    return [
        *(marker("person_named", match, group="name") for match in parties.find_people(text)),
        *(marker("premises_named", match) for match in parties.find_places(text)),
        *(marker("school_named", match) for match in parties.find_schools(text)),
    ]


def in_order(markers: Iterable[Marker]) -> list[Marker]:
    """Document order, each name and text once."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for found in sorted(markers, key=lambda item: item.start):
        key = (found.name, found.text.casefold())
        if key not in seen:
            seen.add(key)
            unique.append(found)
    return unique
