"""Screening: which of the district's vendors enable immigration enforcement,
directly or through their corporate family or their data subprocessors.

Order of evidence: identifiers (UEI, DUNS, CAGE) first, then names; then
ownership, each hop lowering confidence; then data paths (a vendor that
reaches student data through a subprocessor that has a finding)."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from safezones.vendors.screening.matching import BRAND_CONFIDENCE, Match, brand_of, compare, spelled
from safezones.vendors.screening.names import NameKey, parse_name
from safezones.vendors.screening.reference import EDGE_CONFIDENCE, Award, Edge, Entity, ReferenceIndex
from safezones.vendors.screening.severity import Severity

THRESHOLD = 0.85  # least name score for two names to be taken as one company
SIBLING_FACTOR = 0.5  # a common owner says less than direct ownership
SUBPROCESSOR_FACTOR = 0.9
CAGE_CONFIDENCE = 0.95
LINKS = ("direct", "parent", "subsidiary", "sibling", "subprocessor", "curated")
NO_STUDENT_DATA = "none"


@dataclass
class VendorRecord:
    """A district vendor as screening needs it."""

    ref: str  # the caller's id for it
    name: str
    aliases: tuple[str, ...] = ()
    parent: str = ""  # the parent company the district knows of
    uei: str = ""
    duns: str = ""
    cage: str = ""
    student_data: str = NO_STUDENT_DATA
    subprocessors: tuple[str, ...] = ()  # names of vendors that handle its data


@dataclass(frozen=True)
class Hop:
    parent: str
    child: str
    source: str
    confidence: float
    source_url: str = ""
    seen: str = ""


@dataclass(frozen=True)
class Reason:
    """Why the vendor was taken for the entity: a code and its details."""

    code: str  # "identifier", "name", "parent_name", "subprocessor"
    detail: str
    vendor_name: str = ""
    entity_name: str = ""
    score: float = 1.0


@dataclass
class Finding:
    vendor_ref: str
    vendor: str
    entity: str
    entity_key: str
    link: str
    confidence: float
    severity: Severity
    awards: list[Award] = field(default_factory=list)
    claims: list[dict[str, str]] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    path: list[Hop] = field(default_factory=list)
    via: str = ""  # the subprocessor, for data paths

    @property
    def award_ids(self) -> list[str]:
        return sorted(a.award_id for a in self.awards)

    @property
    def obligated(self) -> Decimal:
        return sum((a.obligated for a in self.awards), Decimal(0))

    @property
    def first_date(self) -> date | None:
        return min((a.first_date for a in self.awards if a.first_date), default=None)

    @property
    def last_date(self) -> date | None:
        return max((a.last_date for a in self.awards if a.last_date), default=None)

    @property
    def explanation(self) -> str:
        parts = [r.detail for r in self.reasons]
        parts += [f"{h.child} → {h.parent} ({h.source}, {h.confidence:.2f})" for h in self.path]
        if self.via:
            parts.append(f"student data reaches {self.via}")
        return "; ".join(parts)

    @property
    def evidence_digest(self) -> str:
        """Changes when the evidence changes: the awards, their amounts, the claims, the path."""
        text = "|".join(
            [self.link, self.entity_key, self.via]
            + [f"{a.award_id}:{a.obligated}" for a in sorted(self.awards, key=lambda a: a.award_id)]
            + [c["source_url"] + c["what"] for c in self.claims]
            + [f"{h.parent}>{h.child}" for h in self.path]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


Progress = Callable[[int], None]


def screen(
    vendors: Iterable[VendorRecord],
    index: ReferenceIndex,
    *,
    threshold: float = THRESHOLD,
    progress: Progress | None = None,
) -> list[Finding]:
    index.finalize()
    vendors = list(vendors)
    by_vendor: dict[str, list[Finding]] = {}
    for number, vendor in enumerate(vendors, 1):
        by_vendor[vendor.ref] = screen_vendor(vendor, index, threshold)
        if progress is not None:
            progress(number)
    for vendor in vendors:
        if vendor.student_data != NO_STUDENT_DATA and vendor.subprocessors:
            by_vendor[vendor.ref] += _data_paths(vendor, vendors, by_vendor, index, threshold)
    return [finding for findings in by_vendor.values() for finding in findings]


def screen_vendor(vendor: VendorRecord, index: ReferenceIndex, threshold: float = THRESHOLD) -> list[Finding]:
    parsed = parse_name(vendor.name)
    own = index.key_of(parsed.name)
    # "Amazon Web Services (AWS)": an alias that only abbreviates the name adds
    # nothing to the name, and on its own it spells other companies' names too.
    aliases = [a for a in parsed.aliases if not _abbreviates(index.key_of(a), own)]
    names = (parsed.name, *aliases, *vendor.aliases)
    matched = match_entities(names, index, threshold, uei=vendor.uei, duns=vendor.duns, cage=vendor.cage)
    findings: dict[str, Finding] = {}
    for key, (confidence, reason) in matched.items():
        _family(vendor, index, key, confidence, [reason], findings)
    parent_name = vendor.parent or parsed.parent
    if parent_name:
        factor = EDGE_CONFIDENCE["district"]
        for key, (confidence, reason) in match_entities((parent_name,), index, threshold).items():
            hop = Hop(parent_name, vendor.name, "district", factor)
            parent_reason = Reason("parent_name", reason.detail, parent_name, reason.entity_name, reason.score)
            _add(findings, vendor, index.entities[key], "parent", confidence * factor, [parent_reason], [hop])
            for child, edge in index.children.get(key, {}).items():
                sibling_confidence = confidence * factor * edge.confidence * SIBLING_FACTOR
                path = [hop, _hop(index, edge)]
                _add(findings, vendor, index.entities[child], "sibling", sibling_confidence, [parent_reason], path)
    return sorted(findings.values(), key=lambda f: (-f.severity, -f.confidence, f.entity))


def _abbreviates(alias: NameKey, name: NameKey) -> bool:
    return len(alias.tokens) == 1 and len(name.tokens) > 1 and bool(spelled(alias.tokens[0], name))


def match_entities(
    names: Iterable[str], index: ReferenceIndex, threshold: float, *, uei: str = "", duns: str = "", cage: str = ""
) -> dict[str, tuple[float, Reason]]:
    """Entity key -> (confidence, reason): identifiers first, then names."""
    found: dict[str, tuple[float, Reason]] = {}
    for scheme, value, confidence in (("uei", uei, 1.0), ("duns", duns, 1.0), ("cage", cage, CAGE_CONFIDENCE)):
        key = index.by_id.get(f"{scheme}:{value}") if value else None
        if key is not None:
            found[key] = (confidence, Reason("identifier", f"{scheme.upper()} {value} is equal"))
    for name in names:
        query = index.key_of(name)
        if not query.tokens:
            continue
        query_total = index.weights.total(query)
        for key in index.candidates(query):
            if key in found and found[key][1].code == "identifier":
                continue
            score, reason = _best_name(name, query, index.entities[key], index, threshold, query_total)
            passes = score >= threshold or reason.code == "brand"
            if passes and score > found.get(key, (0.0, None))[0]:
                found[key] = (score, reason)
    return found


def _best_name(  # noqa: PLR0917 - internal step of match_entities
    name: str, query: NameKey, entity: Entity, index: ReferenceIndex, threshold: float, query_total: float
) -> tuple[float, Reason]:
    best: tuple[float, str, Match | None] = (0.0, "", None)
    brand = ""
    # A one-word name may be a brand, whose reading needs the true score up to BRAND_CONFIDENCE.
    floor = min(threshold, BRAND_CONFIDENCE) if len(query.tokens) == 1 else threshold
    keys = index.name_keys.get(entity.key) or [(n, index.key_of(n)) for n in entity.all_names]
    totals = index.name_totals.get(entity.key) or [index.weights.total(key) for _name, key in keys]
    for (candidate, key), total in zip(keys, totals, strict=True):
        match = compare(query, key, index.weights, floor, query_total + total, index.near)
        if match.score > best[0]:
            best = (match.score, candidate, match)
        if not brand and brand_of(query, key):
            brand = candidate
    score, candidate, found = best
    if brand and score <= BRAND_CONFIDENCE:
        detail = f"“{name}” is the brand of “{brand}”"
        return BRAND_CONFIDENCE, Reason("brand", detail, name, brand, BRAND_CONFIDENCE)
    if found is None:
        return 0.0, Reason("name", "")
    return score, Reason("name", f"“{name}” ~ “{candidate}” {found.explain()}", name, candidate, score)


def _family(  # noqa: PLR0917 - internal steps of one walk
    vendor: VendorRecord,
    index: ReferenceIndex,
    key: str,
    confidence: float,
    reasons: list[Reason],
    findings: dict[str, Finding],
) -> None:
    """The matched entity's own awards, its parents' (two hops at most), its
    subsidiaries' and its siblings'."""
    entity = index.entities[key]
    _add(findings, vendor, entity, "direct", confidence, reasons, [])
    for parent_key, edge in index.parents.get(key, {}).items():
        first = _hop(index, edge)
        _add(findings, vendor, index.entities[parent_key], "parent", confidence * edge.confidence, reasons, [first])
        for grand_key, grand in index.parents.get(parent_key, {}).items():
            second = confidence * edge.confidence * grand.confidence
            _add(findings, vendor, index.entities[grand_key], "parent", second, reasons, [first, _hop(index, grand)])
        for sibling_key, down in index.children.get(parent_key, {}).items():
            if sibling_key != key:
                sibling = confidence * edge.confidence * down.confidence * SIBLING_FACTOR
                path = [first, _hop(index, down)]
                _add(findings, vendor, index.entities[sibling_key], "sibling", sibling, reasons, path)
    for child_key, edge in index.children.get(key, {}).items():
        first = _hop(index, edge)
        _add(findings, vendor, index.entities[child_key], "subsidiary", confidence * edge.confidence, reasons, [first])
        for grand_key, grand in index.children.get(child_key, {}).items():
            second = confidence * edge.confidence * grand.confidence
            path = [first, _hop(index, grand)]
            _add(findings, vendor, index.entities[grand_key], "subsidiary", second, reasons, path)


def _hop(index: ReferenceIndex, edge: Edge) -> Hop:
    parent, child = index.entities[edge.parent].name, index.entities[edge.child].name
    return Hop(parent, child, edge.source, edge.confidence, edge.source_url, edge.seen)


def _add(  # noqa: PLR0917 - internal steps of one walk
    findings: dict[str, Finding],
    vendor: VendorRecord,
    entity: Entity,
    link: str,
    confidence: float,
    reasons: list[Reason],
    path: list[Hop],
) -> None:
    if not entity.has_evidence:
        return
    awards = list(entity.awards.values())
    if entity.claims and not awards:
        link = "curated" if link == "direct" else link
        confidence *= EDGE_CONFIDENCE["curated"]
    severities = [a.severity for a in awards] + [c.severity for c in entity.claims]
    finding = Finding(
        vendor_ref=vendor.ref,
        vendor=vendor.name,
        entity=entity.name,
        entity_key=entity.key,
        link=link,
        confidence=round(min(confidence, 1.0), 3),
        severity=max(severities, default=Severity.OTHER),
        awards=sorted(awards, key=lambda a: (-a.obligated, a.award_id)),
        claims=[
            {"relationship": c.relationship, "what": c.what, "source_url": c.source_url, "date": c.seen}
            for c in entity.claims
        ],
        reasons=list(reasons),
        path=list(path),
    )
    known = findings.get(entity.key)
    if known is None or finding.confidence > known.confidence:
        findings[entity.key] = finding  # one finding per entity: the surest link to it


def _data_paths(
    vendor: VendorRecord,
    vendors: list[VendorRecord],
    by_vendor: dict[str, list[Finding]],
    index: ReferenceIndex,
    threshold: float,
) -> list[Finding]:
    """A vendor whose subprocessor (a vendor that handles its student data) has a finding."""
    known = {v.name.casefold(): v for v in vendors}
    out: list[Finding] = []
    for name in vendor.subprocessors:
        sub = known.get(name.casefold())
        sub_findings = by_vendor.get(sub.ref, []) if sub else screen_vendor(VendorRecord(name, name), index, threshold)
        for found in sub_findings:
            if found.link == "subprocessor":
                continue
            hop = Hop(name, vendor.name, "district", SUBPROCESSOR_FACTOR)
            out.append(
                Finding(
                    vendor_ref=vendor.ref,
                    vendor=vendor.name,
                    entity=found.entity,
                    entity_key=found.entity_key,
                    link="subprocessor",
                    confidence=round(found.confidence * SUBPROCESSOR_FACTOR, 3),
                    severity=found.severity,
                    awards=found.awards,
                    claims=found.claims,
                    reasons=found.reasons,
                    path=[hop, *found.path],
                    via=name,
                )
            )
    return out
