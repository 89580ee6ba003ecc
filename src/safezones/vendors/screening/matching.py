"""Is this the same company? A score from 0 to 1 with the reasons for it.

Words are weighed by how rare they are among all the names known (a word in
every third name, like "services", says little; "xpress" says a lot), then the
two names' words are paired: equal, nearly equal (a typo, a truncated last
word), or not at all. The score is the weighted share of both names that was
paired, so a name that is a subset of a longer one is not automatically equal.

Guards for the traps of plain fuzzy matching:
- words that differ by a compass point never pair ("Northwestern" is not
  "Northeastern", however close the letters);
- words with digits, and series numbers, pair only when equal ("Hit
  Portfolio I" vs "II");
- short words pair only when equal; words under eight letters pair when a
  letter was dropped, added or two neighbours swapped (a typo), never when a
  letter was replaced, which as often makes another name ("Herman", "Heiman");
- a word cut short pairs with the longer word only when it ends its name (a
  field cut off at a fixed length), so "Global" is not "Globalstar".

An acronym pairs with the words whose initials it spells, in their order
("CEB" and "Corporate Executive Board"), a little below equal words.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA, Hamming

from safezones.vendors.screening.names import ACRONYM_LENGTH, MIN_FUZZY_LENGTH, NameKey

__all__ = ["ACRONYM_LENGTH", "MIN_FUZZY_LENGTH"]

_COMPASS = re.compile(r"north|south|east|west")
_DIGIT = re.compile(r"\d")
NEAR = 0.8  # least similarity for two different words to pair
LONG_WORD = 8  # from this length a word may differ by any edit, two in ten letters
ACRONYM = 0.9  # the similarity of an acronym and the words it spells
# Words that describe a line of business or a corporate form rather than name
# a company (see brand_of).
DESCRIPTORS = frozenset(
    [
        "communications",
        "wireless",
        "solutions",
        "services",
        "service",
        "systems",
        "group",
        "holdings",
        "holding",
        "technologies",
        "consulting",
        "international",
        "global",
        "usa",
        "america",
        "american",
        "government",
        "federal",
        "enterprises",
        "enterprise",
        "industries",
        "associates",
        "partners",
        "management",
        "products",
        "networks",
        "resources",
    ]
)
BRAND_CONFIDENCE = 0.8


@dataclass
class TokenWeights:
    """Inverse document frequency of every word among the names known."""

    counts: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    known: dict[str, float] = field(default_factory=dict, repr=False)  # weights computed since the last add

    def add(self, key: NameKey) -> None:
        self.counts.update(key.tokens)
        self.documents += 1
        if self.known:
            self.known.clear()

    def total(self, key: NameKey) -> float:
        return sum(self.weight(t) for t in key.tokens)

    def weight(self, token: str) -> float:
        found = self.known.get(token)
        if found is None:
            # Unseen words are as rare as a word seen once.
            seen = self.counts.get(token, 0) or 1
            found = self.known[token] = math.log((self.documents + 1) / seen) + 1.0
        return found


@dataclass(frozen=True)
class Pairing:
    left: str
    right: str
    similarity: float  # 1.0 equal words


@dataclass(frozen=True)
class Match:
    score: float
    pairs: tuple[Pairing, ...]
    unpaired: tuple[str, ...]  # words of either name with no partner
    guarded: tuple[tuple[str, str], ...] = ()  # close words kept apart by a guard

    def explain(self) -> str:
        parts = [f"{p.left}={p.right}" if p.similarity == 1 else f"{p.left}~{p.right}" for p in self.pairs]
        text = f"{self.score:.2f}: paired " + (", ".join(parts) or "nothing")
        if self.unpaired:
            text += "; unpaired " + ", ".join(self.unpaired)
        if self.guarded:
            text += "; kept apart " + ", ".join(f"{a}/{b}" for a, b in self.guarded)
        return text


Near = Callable[[str], frozenset[str]]


def compare(  # noqa: PLR0917 - the optional arguments only make screening faster
    left: NameKey,
    right: NameKey,
    weights: TokenWeights,
    floor: float = 0.0,
    total: float | None = None,
    near: Near | None = None,
) -> Match:
    """The score of two names. With a `floor`, a pair that cannot reach it is
    not scored word by word: it gets 0 (screening thousands of candidates).
    `total`, when known, is the weight of both names' words; `near`, when
    known, gives the words of the right-hand names that a word of the left
    could pair with as nearly equal (see ReferenceIndex.near)."""
    if not left.tokens or not right.tokens:
        return Match(0.0, (), left.tokens + right.tokens)
    if left.tokens == right.tokens or (left.joined == right.joined and len(left.joined) >= 4):
        pairs = tuple(Pairing(t, t, 1.0) for t in left.tokens)
        return Match(1.0, pairs, ())
    if floor > 0 and highest_score(left, right, weights, total, floor, near) < floor:
        return Match(0.0, (), left.tokens + right.tokens)
    return _weighted(left, right, weights)


def highest_score(  # noqa: PLR0917 - as compare
    left: NameKey,
    right: NameKey,
    weights: TokenWeights,
    total: float | None = None,
    floor: float = 0.0,
    near: Near | None = None,
) -> float:
    """What the two names could score at most: a word counts only when the
    other name has it, has a word it could pair with as nearly equal, or
    spells it as an acronym. A cheap bound comes first, for the many
    candidates that share one word and little else: when it stays under
    `floor`, it is the answer."""
    weight = weights.weight
    if total is None:
        total = weights.total(left) + weights.total(right)
    shared = set(left.tokens).intersection(right.tokens)
    possible = 0.0
    for token in shared:
        possible += 2 * weight(token)
    if left.acronyms and len(right.tokens) > 1:
        possible += _acronym_weight(left, right, shared, weight)
    if right.acronyms and len(left.tokens) > 1:
        possible += _acronym_weight(right, left, shared, weight)
    long_left = [t for t in left.long_words if t not in shared]
    long_right = [t for t in right.long_words if t not in shared]
    if not long_left or not long_right:
        return possible / total
    bound = possible
    for token in long_left:
        bound += weight(token)
    for token in long_right:
        bound += weight(token)
    if bound < floor * total:
        return bound / total
    return (possible + _nearly_paired(long_left, long_right, weight, near)) / total


def _nearly_paired(left: list[str], right: list[str], weight: Callable[[str], float], near: Near | None) -> float:
    """The weight of the words of either list that could pair with a word of the other."""
    found = 0.0
    if near is not None:
        paired: set[str] = set()
        for token in left:
            partners = near(token).intersection(right)
            if partners:
                found += weight(token)
                paired |= partners
        return found + sum(weight(t) for t in paired)
    for mine, theirs in ((left, right), (right, left)):
        for token in mine:
            if any(could_pair(token, other) for other in theirs):
                found += weight(token)
    return found


@lru_cache(maxsize=1_000_000)
def could_pair(a: str, b: str) -> bool:
    """Whether two different words may pair as nearly equal (at most)."""
    la, lb = len(a), len(b)
    if abs(la - lb) > max(la, lb) // 5 and not (min(la, lb) >= 6 and (a.startswith(b) or b.startswith(a))):
        return False
    return _similarity(a, b, True) > 0


def _acronym_weight(short: NameKey, long: NameKey, shared: set[str], weight: Callable[[str], float]) -> float:
    """The weight of an acronym of `short` and the words of `long` it spells."""
    found = 0.0
    for token in short.acronyms:
        if token not in long.initials:
            continue
        run = spelled(token, long)
        if run and token not in shared and not shared.intersection(run):
            found += weight(token) + sum(weight(t) for t in run)
    return found


def spelled(token: str, key: NameKey) -> tuple[str, ...]:
    """The words of `key`, in order, whose initials are `token`, if any."""
    low, high = ACRONYM_LENGTH
    if not low <= len(token) <= high or not token.isalpha() or len(key.tokens) < len(token):
        return ()
    at = key.initials.find(token)
    return key.tokens[at : at + len(token)] if at >= 0 else ()


def _weighted(left: NameKey, right: NameKey, weights: TokenWeights) -> Match:
    free = list(right.tokens)
    pairs: list[Pairing] = []
    guarded: list[tuple[str, str]] = []
    matched = 0.0
    last_left, last_right = left.tokens[-1], right.tokens[-1]
    for token in sorted(left.tokens, key=weights.weight, reverse=True):
        best, similarity = _best_partner(token, free, last_left, last_right, guarded)
        if best is None:
            continue
        free.remove(best)
        pairs.append(Pairing(token, best, similarity))
        matched += similarity * (weights.weight(token) + weights.weight(best))
    paired_left = {p.left for p in pairs}
    unpaired_left = [t for t in left.tokens if t not in paired_left]
    for short, long, rest, flip in ((left, right, free, False), (right, left, unpaired_left, True)):
        for token in list(rest if flip else unpaired_left):
            run = spelled(token, long)
            pool = unpaired_left if flip else free
            if not run or token not in (free if flip else unpaired_left) or any(t not in pool for t in run):
                continue
            for word in run:
                pool.remove(word)
            (free if flip else unpaired_left).remove(token)
            phrase = " ".join(run)
            pairs.append(Pairing(phrase, token, ACRONYM) if flip else Pairing(token, phrase, ACRONYM))
            matched += ACRONYM * (weights.weight(token) + sum(weights.weight(w) for w in run))
        del short
    total = weights.total(left) + weights.total(right)
    unpaired = tuple(unpaired_left) + tuple(free)
    return Match(round(matched / total, 4), tuple(pairs), unpaired, tuple(guarded))


def _best_partner(
    token: str, free: Iterable[str], last_left: str, last_right: str, guarded: list[tuple[str, str]]
) -> tuple[str | None, float]:
    best: str | None = None
    best_similarity = 0.0
    for other in free:
        # A word cut short by a field length is the last of its name.
        truncated = token == last_left if len(token) < len(other) else other == last_right
        similarity = word_similarity(token, other, truncated=truncated)
        if similarity > 0 and _kept_apart(token, other):
            guarded.append((token, other))
            continue
        if similarity > best_similarity:
            best, best_similarity = other, similarity
            if similarity == 1.0:
                break
    return best, best_similarity


def word_similarity(a: str, b: str, *, truncated: bool = False) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return 0.0
    return _similarity(a, b, truncated)


@lru_cache(maxsize=1_000_000)
def _similarity(a: str, b: str, truncated: bool) -> float:
    if _DIGIT.search(a) or _DIGIT.search(b):
        return 0.0
    if truncated and min(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a)):
        return 0.95  # a name cut off by a field length: "APPLICATI"
    if min(len(a), len(b)) < LONG_WORD:
        # One letter dropped or added, or two neighbours swapped.
        typo = len(a) != len(b) or Hamming.distance(a, b) == 2
        if typo and OSA.distance(a, b, score_cutoff=1) <= 1:
            return 1 - 1 / max(len(a), len(b))
        return 0.0
    return OSA.normalized_similarity(a, b, score_cutoff=NEAR)


def _kept_apart(a: str, b: str) -> bool:
    return set(_COMPASS.findall(a)) != set(_COMPASS.findall(b))


def brand_of(brand: NameKey, full: NameKey) -> bool:
    """A one-word brand ("Verizon") and a full name that is that word followed
    only by words of kind ("Verizon Communications", "Verizon Wireless"). Never
    a name score: screening reports it at a lower confidence for a reviewer."""
    if len(brand.tokens) != 1 or len(brand.tokens[0]) < MIN_FUZZY_LENGTH or len(full.tokens) < 2:
        return False
    return full.tokens[0] == brand.tokens[0] and all(t in DESCRIPTORS for t in full.tokens[1:])
