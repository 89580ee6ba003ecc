"""Company names reduced to the words that tell companies apart.

Legal forms ("Inc.", "Limited Liability Company") go through rigour, the
OpenSanctions text layer; the rest is ours: initials run together ("H. L." is
"hl"), apostrophes vanish inside words, "a division of" and "d/b/a" become an
alias or a parent, and sole proprietors written "SURNAME, GIVEN" keep their
words (the order of words never matters when names are compared).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rigour.names import remove_org_types

# Words that only say what kind of organisation it is, beyond rigour's legal forms.
NOISE = frozenset(
    {"the", "of", "and", "a", "an", "inc", "llc", "corp", "co", "ltd", "lp", "llp", "plc", "pllc", "pc", "oy", "dba"}
    | {"corporation", "company", "incorporated", "limited", "partnership", "ulc", "public"}
)
# Abbreviations written either way in federal and district records.
ABBREVIATIONS = {
    "st": "street",
    "intl": "international",
    "svcs": "services",
    "svc": "services",
    "mgmt": "management",
    "assoc": "associates",
    "assocs": "associates",
    "bros": "brothers",
    "ctr": "center",
    "natl": "national",
    "sys": "systems",
    "univ": "university",
    "dept": "department",
    "mfg": "manufacturing",
    "tech": "technologies",
    "technology": "technologies",
}
# Series numbers tell funds and partnerships apart ("Fund II" is not "Fund
# Management"); some read like a legal form to rigour, so they are kept here.
MIN_FUZZY_LENGTH = 5  # shorter words pair only when equal
ACRONYM_LENGTH = (3, 5)  # the letters an acronym may have: two spell too many names
ROMAN_NUMERALS = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"})
_PARENTHESES = re.compile(r"\(([^)]*)\)")
_DIVISION = re.compile(r",?\s+(?:a\s+)?(?:division|subsidiary|unit|part)\s+of\s+(.+)$", re.IGNORECASE)
_DBA = re.compile(r",?\s+(?:d/?b/?a|doing business as|dba)\s+(.+)$", re.IGNORECASE)
_APOSTROPHES = re.compile("['\u2019`\u00b4]")
_TIGHT_AMPERSAND = re.compile(r"(?<=\w)&(?=\w)")  # "AT&T" is one word
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_PERSON = re.compile("^[A-Za-z'\u2019-]+,\\s*[A-Za-z'\u2019-]+(\\s+[A-Za-z]\\.?)?$")


@dataclass(frozen=True)
class ParsedName:
    """A name as written in a contract, split into what it says."""

    name: str
    aliases: tuple[str, ...] = ()
    parent: str = ""


@dataclass(frozen=True)
class NameKey:
    text: str  # the original name
    tokens: tuple[str, ...]  # distinct words, in order
    joined: str = field(default="")  # the words with no spaces: "alliance project" is "allianceproject"
    initials: str = field(default="")  # the first letter of every word: "corporate executive board" is "ceb"
    long_words: tuple[str, ...] = ()  # the words long enough to pair when nearly equal
    acronyms: tuple[str, ...] = ()  # the words that could be acronyms


@lru_cache(maxsize=500_000)
def parse_name(raw: str) -> ParsedName:
    """Read "LexisNexis, a division of RELX Inc." as LexisNexis with parent RELX,
    "HZS Engineering, Inc., dba HZS Construction" as HZS Engineering with an
    alias, and "Amazon Web Services (AWS)" as Amazon Web Services with alias AWS."""
    name = " ".join(raw.split())
    aliases: list[str] = []
    parent = ""
    if match := _DIVISION.search(name):
        parent, name = match.group(1).strip(" ,."), name[: match.start()]
    if match := _DBA.search(name):
        aliases.append(match.group(1).strip(" ,."))
        name = name[: match.start()]
    for inner in _PARENTHESES.findall(name):
        if remove_org_types(inner.casefold()).strip(" .,") and not inner.strip().isdigit():
            aliases.append(inner.strip())
    name = _PARENTHESES.sub(" ", name)
    return ParsedName(" ".join(name.split()).strip(" ,"), tuple(aliases), parent)


def is_person(raw: str) -> bool:
    """ "DONOGHUE, JOHN M": how federal data writes a sole proprietor."""
    return bool(_PERSON.match(raw.strip())) and not any(t in NOISE for t in _words(raw))


@lru_cache(maxsize=500_000)
def name_key(raw: str) -> NameKey:
    words = _words(_PARENTHESES.sub(lambda m: " " if m.group(1).strip().isdigit() else m.group(0), raw))
    text = remove_org_types(" ".join(words))
    tokens = [ABBREVIATIONS.get(t, t) for t in text.split() if t not in NOISE]
    tokens += [w for w in words if w in ROMAN_NUMERALS and w not in tokens]
    if not tokens:  # a name made only of noise ("The Company") keeps its words
        tokens = words
    distinct = tuple(dict.fromkeys(tokens))
    low, high = ACRONYM_LENGTH
    return NameKey(
        raw,
        distinct,
        "".join(tokens),
        "".join(t[0] for t in distinct),
        tuple(t for t in distinct if len(t) >= MIN_FUZZY_LENGTH),
        tuple(t for t in distinct if low <= len(t) <= high and t.isalpha()),
    )


def _words(raw: str) -> list[str]:
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    ascii_ = _TIGHT_AMPERSAND.sub("", _APOSTROPHES.sub("", ascii_.casefold())).replace("&", " and ")
    return _join_initials(_SEPARATORS.sub(" ", ascii_).split())


def _join_initials(words: list[str]) -> list[str]:
    """ "h l dalis" is "hl dalis"; "l l c" is "llc"; "l 3" is "l3"."""
    out: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            out.append(run)
            run = ""
        out.append(word)
    if run:
        out.append(run)
    return out
