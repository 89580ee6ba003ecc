"""What the federal data and the curated evidence say, held in memory for
screening: one entity per company (keyed by UEI, then DUNS, then name), its
awards, and the ownership edges between entities."""

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from safezones.vendors.screening.awards import AwardRow
from safezones.vendors.screening.matching import ACRONYM_LENGTH, MIN_FUZZY_LENGTH, NEAR, TokenWeights, could_pair
from safezones.vendors.screening.names import NameKey, name_key, parse_name
from safezones.vendors.screening.severity import Severity, classify

# How far an ownership edge is trusted, by where it comes from.
EDGE_CONFIDENCE = {"fpds": 0.9, "gleif": 0.95, "curated": 0.8, "district": 0.9}
MAX_BUCKET = 2000  # a word shared by more entities than this does not block
EVIDENCE_AWARDS = 25  # awards kept in full per entity; the rest only by id and amount


@dataclass(slots=True)
class Award:
    award_id: str
    obligated: Decimal
    first_date: date | None
    last_date: date | None
    end_date: date | None
    description: str
    sub_agency: str
    office: str
    psc: str
    naics: str
    permalink: str
    severity: Severity


@dataclass(frozen=True, slots=True)
class Edge:
    parent: str
    child: str
    source: str
    confidence: float
    source_url: str = ""
    seen: str = ""  # when the edge was recorded (a date, or a fiscal year)


@dataclass(frozen=True, slots=True)
class Claim:
    """A curated, sourced statement about what a company does for enforcement."""

    entity: str
    relationship: str
    what: str
    source_url: str
    seen: str
    severity: Severity


@dataclass(frozen=True, slots=True)
class OwnershipLink:
    """A parent and a child company from outside the award data (GLEIF)."""

    parent_name: str
    child_name: str
    parent_id: str = ""  # "lei:…"
    child_id: str = ""
    source: str = "gleif"
    seen: str = ""
    source_url: str = ""


@dataclass(slots=True)
class Entity:
    key: str
    names: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)  # "d/b/a" names and names in brackets
    uei: set[str] = field(default_factory=set)
    duns: set[str] = field(default_factory=set)
    cage: set[str] = field(default_factory=set)
    awards: dict[str, Award] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0] if self.names else self.key

    @property
    def all_names(self) -> list[str]:
        return [*self.names, *sorted(self.aliases)]

    @property
    def has_evidence(self) -> bool:
        return bool(self.awards or self.claims)


class ReferenceIndex:
    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.by_id: dict[str, str] = {}  # "uei:…", "duns:…", "cage:…", "lei:…" -> entity key
        self.by_name: dict[str, str] = {}  # a name's words, sorted -> the first entity that bore it
        self.parents: dict[str, dict[str, Edge]] = defaultdict(dict)
        self.children: dict[str, dict[str, Edge]] = defaultdict(dict)
        self.weights = TokenWeights()
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.name_keys: dict[str, list[tuple[str, NameKey]]] = {}  # every name of an entity, reduced
        self.name_totals: dict[str, list[float]] = {}  # the weight of the words of each of those names
        self.long_words: list[str] = []  # the words of every name long enough to pair when nearly equal
        self._near: dict[str, frozenset[str]] = {}
        self.rows = 0
        self._finalized = False

    # ---- loading -------------------------------------------------------
    def add_award(self, row: AwardRow) -> None:
        self.rows += 1
        names = [row.recipient_name] + ([row.recipient_alias] if row.recipient_alias else [])
        entity = self.entity_for(names, uei=row.recipient_uei, duns=row.recipient_duns, cage=row.cage_code)
        if entity is None:
            return
        _add_award(entity, row)
        if row.parent_name or row.parent_uei or row.parent_duns:
            parent = self.entity_for(
                [row.parent_name] if row.parent_name else [], uei=row.parent_uei, duns=row.parent_duns
            )
            if parent is not None and parent.key != entity.key:
                seen = row.action_date.isoformat() if row.action_date else ""
                self.add_edge(parent.key, entity.key, "fpds", seen=seen)

    def add_edge(self, parent: str, child: str, source: str, source_url: str = "", seen: str = "") -> None:
        known = self.parents[child].get(parent)
        if known is not None and known.seen >= seen:
            return
        edge = Edge(parent, child, source, EDGE_CONFIDENCE[source], source_url, seen)
        self.parents[child][parent] = edge
        self.children[parent][child] = edge

    def add_claim(self, claim: Claim, parent_name: str = "") -> None:
        entity = self.entity_for([claim.entity])
        if entity is None:
            return
        entity.claims.append(claim)
        if parent_name:
            parent = self.entity_for([parent_name])
            if parent is not None and parent.key != entity.key:
                self.add_edge(parent.key, entity.key, "curated", claim.source_url, claim.seen)

    def entity_for(
        self, names: Iterable[str], uei: str = "", duns: str = "", cage: str = "", lei: str = ""
    ) -> Entity | None:
        names = [n.strip() for n in names if n.strip()]
        ids = [f"{scheme}:{v}" for scheme, v in (("uei", uei), ("duns", duns), ("cage", cage), ("lei", lei)) if v]
        key = next((self.by_id[i] for i in ids if i in self.by_id), None)
        if key is None and not ids:
            if not names or not self.name_id(names[0]):
                return None
            key = "name:" + self.name_id(names[0])
        key = key or ids[0]
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(key)
        self._finalized = False
        for identifier in ids:
            self.by_id.setdefault(identifier, key)
        entity.uei.update([uei] if uei else [])
        entity.duns.update([duns] if duns else [])
        entity.cage.update([cage] if cage else [])
        entity.names.update(names)
        for name in names:
            entity.aliases.update(parse_name(name).aliases)
            self.by_name.setdefault(self.name_id(name), key)
        return entity

    @staticmethod
    def name_id(name: str) -> str:
        """A name's words without legal forms, sorted: equal for "Halcyon Holdings, Inc." and "HALCYON HOLDINGS INC"."""
        return " ".join(sorted(name_key(parse_name(name).name).tokens))

    def known(self, name: str, identifier: str = "") -> str | None:
        """The entity with this identifier, or else with exactly this name."""
        if identifier and identifier in self.by_id:
            return self.by_id[identifier]
        return self.by_name.get(self.name_id(name)) if name.strip() else None

    def add_ownership(self, links: Callable[[], Iterable[OwnershipLink]]) -> int:
        """Ownership links from outside the award data, in two passes over
        `links()`: first the links that touch a company already known (from
        awards or curated evidence), then the links that touch a company the
        first pass brought in, so parents, subsidiaries and siblings are found
        without holding the whole world's ownership graph in memory. A company
        meets a federal recipient by identifier or by its exact name."""
        brought: set[str] = set()
        added = 0
        for second in (False, True):
            for link in links():
                parent = self.known(link.parent_name, link.parent_id)
                child = self.known(link.child_name, link.child_id)
                ends = [key for key in (parent, child) if key is not None]
                if not any((key in brought) == second for key in ends):
                    continue
                parent = parent or self._bring(link.parent_name, link.parent_id, brought)
                child = child or self._bring(link.child_name, link.child_id, brought)
                if parent is None or child is None or parent == child:
                    continue
                for identifier, key in ((link.parent_id, parent), (link.child_id, child)):
                    if identifier:
                        self.by_id.setdefault(identifier, key)
                if child not in self.parents or parent not in self.parents[child]:
                    added += 1
                self.add_edge(parent, child, link.source, link.source_url, link.seen)
        return added

    def _bring(self, name: str, identifier: str, brought: set[str]) -> str | None:
        scheme, _, value = identifier.partition(":")
        entity = self.entity_for([name] if name else [], lei=value if scheme == "lei" else "")
        if entity is None:
            return None
        brought.add(entity.key)
        return entity.key

    # ---- after loading -------------------------------------------------
    def finalize(self) -> None:
        """Weigh the words of every name and build the blocking index, once
        after loading (again only when something was added since)."""
        if self._finalized:
            return
        self.weights = TokenWeights()
        self.postings = defaultdict(set)
        self.name_keys = {}
        for entity in self.entities.values():
            keys = self.name_keys[entity.key] = [(name, self.key_of(name)) for name in entity.all_names]
            for _name, key in keys:
                self.weights.add(key)
                for token in key.tokens:
                    self.postings[token].add(entity.key)
                if key.joined:
                    self.postings["=" + key.joined].add(entity.key)
                if 1 < len(key.tokens) <= ACRONYM_LENGTH[1]:
                    self.postings["^" + key.initials].add(entity.key)
        self.long_words = sorted(t for t in self.weights.counts if len(t) >= MIN_FUZZY_LENGTH)
        self._near = {}
        total = self.weights.total
        self.name_totals = {entity: [total(key) for _name, key in keys] for entity, keys in self.name_keys.items()}
        self._finalized = True

    def near(self, token: str) -> frozenset[str]:
        """The words of the names known that `token` could pair with as nearly
        equal: found once per word, by rapidfuzz over all the long words, then
        checked by the matcher's own rule."""
        found = self._near.get(token)
        if found is None:
            close = process.extract(
                token, self.long_words, scorer=OSA.normalized_similarity, score_cutoff=NEAR - 0.1, limit=None
            )
            words = {word for word, _score, _at in close}
            if len(token) >= 6:  # a word cut short by a field length, or the word cut short
                at = bisect.bisect_left(self.long_words, token)
                while at < len(self.long_words) and self.long_words[at].startswith(token):
                    words.add(self.long_words[at])
                    at += 1
                words.update(token[:end] for end in range(6, len(token)) if token[:end] in self.weights.counts)
            found = self._near[token] = frozenset(w for w in words if w != token and could_pair(token, w))
        return found

    @staticmethod
    def key_of(name: str) -> NameKey:
        return name_key(parse_name(name).name)

    def candidates(self, key: NameKey, limit_words: int = 3) -> set[str]:
        """Entities sharing one of the name's rarest words, or all its words run
        together, or whose name is its acronym or spelled by it."""
        if not self._finalized:
            self.finalize()
        found = set(self.postings.get("=" + key.joined, ()))
        low, high = ACRONYM_LENGTH
        for token in key.tokens:  # an acronym: the names whose initials it spells
            if low <= len(token) <= high and token.isalpha():
                found |= self.postings.get("^" + token, set())
        if 1 < len(key.tokens) <= high:  # the names that are this name's acronym
            bucket = self.postings.get(key.initials, set())
            if len(bucket) <= MAX_BUCKET:
                found |= bucket
        rare = sorted(key.tokens, key=self.weights.weight, reverse=True)[:limit_words]
        for token in rare:
            bucket = self.postings.get(token, set())
            if len(bucket) <= MAX_BUCKET:
                found |= bucket
        return found


def _add_award(entity: Entity, row: AwardRow) -> None:
    award_id = row.award_id or row.key
    award = entity.awards.get(award_id)
    when = row.action_date or row.start_date
    if award is None:
        severity = classify(row.description + " " + row.psc_description, row.office, row.psc, row.naics)
        entity.awards[award_id] = Award(
            award_id, row.obligated, when, when, row.end_date, row.description[:500], row.sub_agency,
            row.office, row.psc, row.naics, row.permalink, severity,
        )  # fmt: skip
        return
    award.obligated += row.obligated
    if when is not None:
        award.first_date = min(award.first_date or when, when)
        award.last_date = max(award.last_date or when, when)
    if row.end_date is not None and (award.end_date is None or row.end_date > award.end_date):
        award.end_date = row.end_date
    if not award.description and row.description:
        award.description = row.description[:500]
