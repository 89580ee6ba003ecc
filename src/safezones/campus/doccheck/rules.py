"""What tells documents apart: the words each kind of document carries.

Each rule names a marker, the words that show it, and what it says about the
document: who issued it (a court or an executive agency) and what it is (a
warrant, a subpoena, an order...). The engine weighs them; nothing here
decides on its own.

Sources: the public descriptions of the federal court forms (AO 442, AO 93,
AO 110, AO 88), the Department of Homeland Security forms (I-200, I-205,
I-247A, I-138, I-862), California's Judicial Council subpoena forms, and the
California Attorney General's guidance for schools.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from safezones.campus.doccheck.text import phrase


class Family(StrEnum):
    """Who issued the document. The law turns on this difference: a court's
    warrant may open non-public areas; an agency's own paper may not."""

    JUDICIAL = "judicial"
    EXECUTIVE = "executive"


class DocType(StrEnum):
    ARREST_WARRANT = "arrest_warrant"
    SEARCH_WARRANT = "search_warrant"
    WARRANT = "warrant"  # says "warrant" but not which kind
    SUBPOENA = "subpoena"
    ORDER = "order"
    DETAINER = "detainer"
    NOTICE_TO_APPEAR = "notice_to_appear"


WARRANT_TYPES = frozenset({DocType.ARREST_WARRANT, DocType.SEARCH_WARRANT, DocType.WARRANT})


@dataclass(frozen=True)
class Rule:
    marker: str
    pattern: re.Pattern[str]
    family: Family | None = None
    weight: int = 0  # how strongly the marker points to its family
    doc_type: DocType | None = None


def _acronyms(*words: str) -> re.Pattern[str]:
    """Agency initials: upper case only, or "ice" in a sentence would count."""
    return re.compile(r"\b(?:" + "|".join(words) + r")\b")


ISSUERS = [
    Rule(
        "issuing_court",
        phrase(
            "united states district court",
            "u.s. district court",
            "us district court",
            "united states court of appeals",
            "superior court",
            "circuit court",
            "county court",
            "juvenile court",
            "family court",
            "municipal court",
            "supreme court of",
            "tribunal superior",
            "corte superior",
            "tribunal de distrito",
            "corte de distrito",
            "tribunal federal de distrito",
        ),
        Family.JUDICIAL,
        3,
    ),
    Rule(
        "immigration_court",
        phrase(
            "immigration court",
            "executive office for immigration review",
            "board of immigration appeals",
            "immigration judge",
            "corte de inmigración",
            "tribunal de inmigración",
            "juez de inmigración",
        ),
        Family.EXECUTIVE,
        2,
    ),
    Rule("immigration_court", _acronyms("EOIR"), Family.EXECUTIVE, 2),
    Rule(
        "issuing_agency",
        phrase(
            "department of homeland security",
            "homeland security investigations",
            "immigration and customs enforcement",
            "customs and border protection",
            "enforcement and removal operations",
            "citizenship and immigration services",
            "departamento de seguridad nacional",
            "inmigración y control de aduanas",
            "aduanas y protección fronteriza",
        ),
        Family.EXECUTIVE,
        2,
    ),
    Rule("issuing_agency", _acronyms("DHS", "ICE", "CBP", "ERO", "HSI", "USCIS"), Family.EXECUTIVE, 2),
    Rule("grand_jury", phrase("grand jury", "gran jurado"), Family.JUDICIAL, 1),
]

# Most specific first: a span claimed by an earlier title is not read again
# by a later, vaguer one ("warrant for arrest of alien" is not an arrest
# warrant from a court).
TITLES = [
    Rule(
        "document_title",
        phrase("warrant for arrest of alien", "orden de arresto de extranjero", "orden de arresto de extranjera"),
        Family.EXECUTIVE,
        3,
        DocType.ARREST_WARRANT,
    ),
    Rule(
        "document_title",
        phrase(
            "warrant of removal",
            "warrant of deportation",
            "orden de deportación",
            "orden de expulsión",
            "orden de remoción",
        ),
        Family.EXECUTIVE,
        3,
        DocType.ARREST_WARRANT,
    ),
    Rule(
        "document_title",
        phrase("immigration detainer", "detainer", "orden de detención migratoria", "solicitud de detención"),
        Family.EXECUTIVE,
        3,
        DocType.DETAINER,
    ),
    Rule(
        "document_title",
        phrase("notice to appear", "notificación de comparecencia", "aviso de comparecencia"),
        Family.EXECUTIVE,
        3,
        DocType.NOTICE_TO_APPEAR,
    ),
    Rule(
        "document_title",
        phrase("search and seizure warrant", "search warrant", "orden de cateo", "orden de registro"),
        doc_type=DocType.SEARCH_WARRANT,
    ),
    Rule(
        "document_title",
        phrase(
            "arrest warrant",
            "warrant for arrest",
            "warrant of arrest",
            "bench warrant",
            "orden de arresto",
            "orden de aprehensión",
            "orden de captura",
        ),
        doc_type=DocType.ARREST_WARRANT,
    ),
    Rule("document_title", phrase("subpoena", "subpena", "citatorio", "citación judicial"), doc_type=DocType.SUBPOENA),
    Rule(
        "document_title",
        re.compile(r"^[ \t]*(?:court[ \t]+)?order\b|^[ \t]*orden[ \t]+judicial\b", re.IGNORECASE | re.MULTILINE),
        doc_type=DocType.ORDER,
    ),
    Rule(
        "order_language",
        phrase("it is hereby ordered", "it is so ordered", "it is ordered", "it is further ordered"),
        doc_type=DocType.ORDER,
    ),
    Rule("document_title", phrase("warrant"), doc_type=DocType.WARRANT),
]


def _court_form(number: str) -> re.Pattern[str]:
    return re.compile(r"\bA[O0][ \t]*-?[ \t]*(?:" + number + r")\b", re.IGNORECASE)


def _immigration_form(number: str) -> re.Pattern[str]:
    """ "Form I-200", also as OCR reads it ("Forrn l-2OO"). Without the word
    "Form" the letter must be a real I and the hyphen present: "1-200"
    alone is more often a range of numbers."""
    form_word = r"(?:\b(?:form|forrn|formulario|formular1o)[ \t]*(?:no\.?[ \t]*|#[ \t]*)?[Il1|][ \t]*[-.]?)"
    bare = r"(?:\b[Ii]-|\bI[ \t])"
    return re.compile(r"(?:" + form_word + "|" + bare + r")[ \t]*(?:" + number + r")\b", re.IGNORECASE)


CALIFORNIA_SUBPOENA_FORM = re.compile(r"\bSUBP[ \t]*-?[ \t]*0\d\d\b", re.IGNORECASE)  # Judicial Council forms
FORMS = [
    Rule("form_number", _court_form("442"), Family.JUDICIAL, 3, DocType.ARREST_WARRANT),
    Rule("form_number", _court_form("93C?"), Family.JUDICIAL, 3, DocType.SEARCH_WARRANT),
    Rule("form_number", _court_form("110|88[AB]?|89B?|90"), Family.JUDICIAL, 3, DocType.SUBPOENA),
    Rule("form_number", CALIFORNIA_SUBPOENA_FORM, Family.JUDICIAL, 3, DocType.SUBPOENA),
    Rule("form_number", _immigration_form("2[0O][0O]|2[0O]5"), Family.EXECUTIVE, 3, DocType.ARREST_WARRANT),
    Rule("form_number", _immigration_form("247[ADNX]?"), Family.EXECUTIVE, 3, DocType.DETAINER),
    Rule("form_number", _immigration_form("138"), Family.EXECUTIVE, 3, DocType.SUBPOENA),
    Rule("form_number", _immigration_form("862"), Family.EXECUTIVE, 3, DocType.NOTICE_TO_APPEAR),
]

JUDGE_TITLE = phrase(
    "united states magistrate judge",
    "u.s. magistrate judge",
    "united states district judge",
    "u.s. district judge",
    "magistrate judge",
    "district judge",
    "circuit judge",
    "superior court judge",
    "judge of the superior court",
    "judge of the district court",
    "judge of the circuit court",
    "juez magistrado",
    "jueza magistrada",
    "juez federal",
    "jueza federal",
    "juez de distrito",
    "jueza de distrito",
    "juez del tribunal superior",
    "jueza del tribunal superior",
    "juez de la corte superior",
    "jueza de la corte superior",
)
# "Hon. Maria Lopez" or "Judge Maria Lopez": a title followed by a name.
JUDGE_BY_NAME = re.compile(
    r"\b(?:[Hh]on\.|HON\.|[Hh]onorable|HONORABLE|Judge|JUDGE)[ \t]+(?!(?i:signature|firma|of\b|de\b))[A-ZÁÉÍÓÚÑ][\w'-]+"
)
OFFICER_TITLE = phrase(
    "supervisory detention and deportation officer",
    "detention and deportation officer",
    "deportation officer",
    "immigration officer",
    "immigration enforcement agent",
    "field office director",
    "special agent in charge",
    "patrol agent in charge",
    "border patrol agent",
    "oficial de inmigración",
    "oficial de deportación",
    "agente de inmigración",
)
CLERK_TITLE = phrase("clerk of court", "clerk of the court", "deputy clerk", "secretario del tribunal")
SIGNERS = [
    Rule("signed_by_judge", JUDGE_TITLE, Family.JUDICIAL, 3),
    Rule("signed_by_judge", JUDGE_BY_NAME, Family.JUDICIAL, 3),
    Rule("signed_by_officer", OFFICER_TITLE, Family.EXECUTIVE, 3),
    Rule("signed_by_clerk", CLERK_TITLE, Family.JUDICIAL, 1),
]

# Words just before a title that make it an address or a label, not a signer:
# "bring before a magistrate judge", "to any immigration officer",
# "(Signature of Authorized Immigration Officer)".
NOT_A_SIGNER_BEFORE = phrase(
    "before",
    "before a",
    "before the",
    "ante",
    "ante el",
    "ante la",
    "any",
    "to",
    "cualquier",
    "signature of",
    "signature of authorized",
    "title of",
    "title of authorized",
    "name and title of",
    "firma del",
    "nombre y cargo del",
    "by an",
    "by a",
    "or",
    "immigration",
)
NOT_A_SIGNER_JUST_BEFORE = re.compile("(?:" + NOT_A_SIGNER_BEFORE.pattern + r")[\W_]*$", re.IGNORECASE)
NOT_A_SIGNER_AFTER = re.compile(r"^(?:'s|s)?[ \t]*(?:signature|de[ \t]+inmigraci)", re.IGNORECASE)

# The law gives a search warrant a life of its own when the warrant states
# no date: 14 days under federal rule 41(e)(2)(A), 10 days under California
# Penal Code 1534. Another state's district sets its own here.
SEARCH_WARRANT_DAYS = {"federal": 14, "state": 10}
FEDERAL_COURT = phrase("united states district court", "u.s. district court", "tribunal federal de distrito")

DEADLINE_CUES = phrase(
    "on or before",
    "no later than",
    "not later than",
    "expires on",
    "expires",
    "valid until",
    "valid through",
    "must be executed by",
    "a más tardar el",
    "antes del",
    "vence el",
    "válida hasta el",
    "válida hasta",
)
ISSUED_CUES = phrase(
    "date and time issued",
    "date issued",
    "issued on",
    "expedida el",
    "expedido el",
    "emitida el",
    "fecha de expedición",
)
