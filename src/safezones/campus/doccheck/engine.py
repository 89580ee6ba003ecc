"""The document check: from the words of a document to what kind it is, why,
and what to do next.

It advises and never declares a document valid. When the markers disagree
or are missing, the answer is `unknown`, whose steps are the strictest.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from safezones.campus.doccheck import dates, markers, parties, rules
from safezones.campus.doccheck.catalogue import LANGUAGES
from safezones.campus.doccheck.markers import Marker
from safezones.campus.doccheck.result import Concern, Kind, Result
from safezones.campus.doccheck.rules import WARRANT_TYPES, DocType, Family
from safezones.campus.doccheck.text import prepare

MAX_MARKERS = 40  # enough to show why; a pasted book should not echo back whole
STRONG = 3  # a court name, a judge's title, a form number: any one of them
SOME = 2  # an agency named in passing


@dataclass(frozen=True)
class Evidence:
    text: str
    markers: list[Marker]

    def has(self, name: str) -> bool:
        return any(found.name == name for found in self.markers)

    def score(self, family: Family) -> int:
        """Each kind of marker counts once, however often it appears."""
        weights: dict[str, int] = {}
        for found in self.markers:
            if found.rule and found.rule.family is family:
                weights[found.name] = max(weights.get(found.name, 0), found.rule.weight)
        return sum(weights.values())

    def typed(self) -> list[Marker]:
        return [found for found in self.markers if found.rule and found.rule.doc_type]


@dataclass(frozen=True)
class Finding:
    kind: Kind
    concerns: list[Concern]
    doc_type: DocType | None = None
    family: Family | None = None


def check_text(text: str, lang: str = "en", school_name: str | None = None, today: date | None = None) -> Result:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}")
    evidence = gather(prepare(text))
    finding = classify(evidence)
    concerns = finding.concerns + problems(evidence, finding, school_name, today or _today())
    return Result(finding.kind, tuple(evidence.markers[:MAX_MARKERS]), tuple(dict.fromkeys(concerns)), lang)


def gather(text: str) -> Evidence:
    found = [
        *markers.find_rules(text, rules.FORMS + rules.TITLES),
        *markers.find_rules(text, rules.ISSUERS),
        *markers.find_signers(text),
        *markers.find_signatures(text),
        *markers.find_parties(text),
    ]
    return Evidence(text, markers.in_order(found))


DIRECT_KINDS = {DocType.DETAINER: Kind.DETAINER, DocType.NOTICE_TO_APPEAR: Kind.NOTICE_TO_APPEAR}


def classify(evidence: Evidence) -> Finding:
    judicial, executive = evidence.score(Family.JUDICIAL), evidence.score(Family.EXECUTIVE)
    doc_type, types_agree = document_type(evidence)
    doubt = _doubt(judicial, executive, doc_type, types_agree)
    if doubt or doc_type is None:
        return Finding(Kind.UNKNOWN, [doubt or Concern.TYPE_NOT_CLEAR])
    if doc_type in DIRECT_KINDS:  # only immigration authorities issue these
        return Finding(DIRECT_KINDS[doc_type], [], doc_type, Family.EXECUTIVE)
    if judicial >= SOME and judicial > executive:
        return _judicial(evidence, doc_type)
    if executive >= SOME:
        return _executive(evidence, doc_type)
    return Finding(Kind.UNKNOWN, [Concern.ISSUER_NOT_NAMED], doc_type)


def _doubt(judicial: int, executive: int, doc_type: DocType | None, types_agree: bool) -> Concern | None:
    """Why the answer must be `unknown`, before looking any closer."""
    if not judicial and not executive and doc_type is None:
        return Concern.NO_MARKERS
    if (judicial >= STRONG and executive >= STRONG) or not types_agree:
        return Concern.CONFLICTING_MARKERS
    return None


def _judicial(evidence: Evidence, doc_type: DocType) -> Finding:
    """A court's paper counts as one only with the signature the law expects:
    a judge's on a warrant or order; anyone's on a subpoena (clerks and
    attorneys issue them)."""
    kind = {DocType.SUBPOENA: Kind.JUDICIAL_SUBPOENA, DocType.ORDER: Kind.COURT_ORDER}.get(
        doc_type, Kind.JUDICIAL_WARRANT
    )
    signed_by_judge = evidence.has("signed_by_judge")
    signed = signed_by_judge or evidence.has("signature")
    if signed_by_judge or (kind is Kind.JUDICIAL_SUBPOENA and signed):
        return Finding(kind, [], doc_type, Family.JUDICIAL)
    concern = Concern.NOT_SIGNED_BY_JUDGE if signed else Concern.NO_SIGNATURE
    return Finding(Kind.UNKNOWN, [concern], doc_type, Family.JUDICIAL)


def _executive(evidence: Evidence, doc_type: DocType) -> Finding:
    if doc_type is DocType.SUBPOENA:
        return Finding(Kind.ADMINISTRATIVE_SUBPOENA, [], doc_type, Family.EXECUTIVE)
    if doc_type is DocType.ORDER:
        concern = Concern.IMMIGRATION_COURT if evidence.has("immigration_court") else Concern.NOT_FROM_A_COURT
        return Finding(Kind.UNKNOWN, [concern], doc_type, Family.EXECUTIVE)
    return Finding(Kind.ADMINISTRATIVE_WARRANT, [], doc_type, Family.EXECUTIVE)


def document_type(evidence: Evidence) -> tuple[DocType | None, bool]:
    """What the document is, from its heading first, then its form number,
    then the first title in the text; and whether heading and form agree."""
    typed = evidence.typed()
    headings = [found for found in typed if found.name != "form_number" and _is_heading(evidence.text, found)]
    form_types = {_broad(found) for found in typed if found.name == "form_number"}
    form_type = form_types.pop() if len(form_types) == 1 else None
    first = headings or [found for found in typed if found.name != "form_number"]
    broad = _broad(headings[0]) if headings else form_type or (_broad(first[0]) if first else None)
    agree = not (headings and form_type and form_type is not broad)
    if broad is DocType.WARRANT:
        return _warrant_type([*headings, *typed]), agree
    return broad, agree


def _broad(found: Marker) -> DocType:
    doc_type = found.rule.doc_type if found.rule else None
    return DocType.WARRANT if doc_type in WARRANT_TYPES or doc_type is None else doc_type


def _warrant_type(candidates: list[Marker]) -> DocType:
    for found in candidates:
        if found.rule and found.rule.doc_type in {DocType.ARREST_WARRANT, DocType.SEARCH_WARRANT}:
            return found.rule.doc_type
    return DocType.WARRANT


def _is_heading(text: str, found: Marker) -> bool:
    start = text.rfind("\n", 0, found.start) + 1
    end = text.find("\n", found.start)
    line = text[start : end if end >= 0 else len(text)].strip()
    starts_line = text[start : found.start].strip() == ""
    return len(line) <= 70 and (starts_line or line.isupper())


def problems(evidence: Evidence, finding: Finding, school_name: str | None, today: date) -> list[Concern]:
    found = []
    if finding.kind in UNSIGNED_MATTERS and not _signed(evidence):
        found.append(Concern.NO_SIGNATURE)
    if finding.doc_type in WARRANT_TYPES:
        found += _unnamed(evidence, finding)
    deadline = _deadline(evidence, finding)
    if deadline and deadline < today:
        found.append(Concern.EXPIRED)
    if school_name and evidence.has("school_named") and not parties.names_school(evidence.text, school_name):
        found.append(Concern.WRONG_SCHOOL)
    return found


UNSIGNED_MATTERS = {
    Kind.ADMINISTRATIVE_WARRANT,
    Kind.ADMINISTRATIVE_SUBPOENA,
    Kind.DETAINER,
    Kind.NOTICE_TO_APPEAR,
}


def _signed(evidence: Evidence) -> bool:
    return any(evidence.has(name) for name in ("signature", "signed_by_officer", "signed_by_judge"))


def _unnamed(evidence: Evidence, finding: Finding) -> list[Concern]:
    person, place = evidence.has("person_named"), evidence.has("premises_named") or evidence.has("school_named")
    if finding.doc_type is DocType.SEARCH_WARRANT:
        return [] if place else [Concern.PREMISES_NOT_NAMED]
    if finding.doc_type is DocType.ARREST_WARRANT or finding.family is Family.EXECUTIVE:
        return [] if person else [Concern.PERSON_NOT_NAMED]
    return [] if person or place else [Concern.PERSON_NOT_NAMED, Concern.PREMISES_NOT_NAMED]


def _deadline(evidence: Evidence, finding: Finding) -> date | None:
    """The last day to carry the document out: as written, or for a search
    warrant that states none, the days the law allows after issue."""
    written = dates.dates_after(rules.DEADLINE_CUES, evidence.text)
    if written:
        return min(written)
    issued = dates.dates_after(rules.ISSUED_CUES, evidence.text)
    if finding.doc_type is not DocType.SEARCH_WARRANT or not issued:
        return None
    federal = bool(rules.FEDERAL_COURT.search(evidence.text))
    return min(issued) + timedelta(days=rules.SEARCH_WARRANT_DAYS["federal" if federal else "state"])


def _today() -> date:
    return datetime.now(UTC).astimezone().date()
