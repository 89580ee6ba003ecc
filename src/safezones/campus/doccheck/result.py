"""What the document check answers."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from safezones.campus.doccheck import steps
from safezones.campus.doccheck.markers import Marker


class Kind(StrEnum):
    JUDICIAL_WARRANT = "judicial_warrant"
    ADMINISTRATIVE_WARRANT = "administrative_warrant"
    JUDICIAL_SUBPOENA = "judicial_subpoena"
    ADMINISTRATIVE_SUBPOENA = "administrative_subpoena"
    COURT_ORDER = "court_order"
    DETAINER = "detainer"
    NOTICE_TO_APPEAR = "notice_to_appear"
    UNKNOWN = "unknown"


class Concern(StrEnum):
    EXPIRED = "expired"
    NO_SIGNATURE = "no_signature"
    NOT_SIGNED_BY_JUDGE = "not_signed_by_judge"
    PREMISES_NOT_NAMED = "premises_not_named"
    PERSON_NOT_NAMED = "person_not_named"
    WRONG_SCHOOL = "wrong_school"
    IMMIGRATION_COURT = "immigration_court"  # an immigration judge is not a court in this sense
    NOT_FROM_A_COURT = "not_from_a_court"
    CONFLICTING_MARKERS = "conflicting_markers"
    ISSUER_NOT_NAMED = "issuer_not_named"
    TYPE_NOT_CLEAR = "type_not_clear"
    NO_MARKERS = "no_markers"


@dataclass(frozen=True)
class Result:
    kind: Kind
    markers: tuple[Marker, ...]
    concerns: tuple[Concern, ...]
    lang: str

    @property
    def route_to_legal(self) -> bool:
        """Every document goes to the legal office, whatever it looks like."""
        return True

    @property
    def next_steps(self) -> list[str]:
        return steps.next_steps(self.kind, self.concerns, self.lang)

    @property
    def explanation(self) -> str:
        return steps.explain(self.kind, self.concerns, self.lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": steps.label(self.kind, self.lang),
            "explanation": self.explanation,
            "markers": [found.to_json() for found in self.markers],
            "concerns": [concern.value for concern in self.concerns],
            "next_steps": self.next_steps,
            "route_to_legal": self.route_to_legal,
        }
