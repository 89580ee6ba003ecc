"""When the words of a document cannot be read (a photo too blurred, no time
to type), a few questions the person can answer by looking at it. The
answers are weighed the same careful way as the words: only a document from
a court, signed by a judge, that names the court counts as judicial; anything
doubtful is `unknown`, whose steps are the strictest."""

from dataclasses import dataclass

from safezones.campus.doccheck.result import Concern, Kind, Result

TITLES = ("warrant", "subpoena", "order", "detainer", "notice_to_appear", "unknown")
ISSUERS = ("court", "immigration", "unknown")
YES_NO = ("yes", "no", "unknown")

JUDICIAL = {"warrant": Kind.JUDICIAL_WARRANT, "subpoena": Kind.JUDICIAL_SUBPOENA, "order": Kind.COURT_ORDER}
EXECUTIVE = {"warrant": Kind.ADMINISTRATIVE_WARRANT, "subpoena": Kind.ADMINISTRATIVE_SUBPOENA}


@dataclass(frozen=True)
class Answers:
    title: str  # what the paper calls itself, one of TITLES
    issuer: str  # who issued it, one of ISSUERS
    judge_signed: str  # "Is it signed by a judge?", one of YES_NO
    names_court: str  # "Does it name a court?", one of YES_NO

    def __post_init__(self) -> None:
        for value, allowed in (
            (self.title, TITLES),
            (self.issuer, ISSUERS),
            (self.judge_signed, YES_NO),
            (self.names_court, YES_NO),
        ):
            if value not in allowed:
                raise ValueError(f"{value!r} is not one of {allowed}")


def check_answers(answers: Answers, lang: str = "en") -> Result:
    kind, concerns = _weigh(answers)
    return Result(kind, (), tuple(concerns), lang)


# Papers whose title alone says what they are (none of them opens a door).
BY_TITLE = {
    "detainer": (Kind.DETAINER, []),
    "notice_to_appear": (Kind.NOTICE_TO_APPEAR, []),
    "unknown": (Kind.UNKNOWN, [Concern.TYPE_NOT_CLEAR]),
}


def _weigh(answers: Answers) -> tuple[Kind, list[Concern]]:
    if answers.title in BY_TITLE:
        kind, concerns = BY_TITLE[answers.title]
        return kind, list(concerns)
    judicial = answers.issuer == "court" and answers.judge_signed == "yes" and answers.names_court == "yes"
    executive = answers.issuer == "immigration" or answers.judge_signed == "no"
    if judicial:
        return JUDICIAL[answers.title], []
    if executive and answers.title in EXECUTIVE and answers.issuer != "court":
        concerns = [Concern.NOT_SIGNED_BY_JUDGE] if answers.judge_signed == "no" else []
        return EXECUTIVE[answers.title], concerns
    if executive:
        return Kind.UNKNOWN, [Concern.CONFLICTING_MARKERS]
    doubts = [Concern.ISSUER_NOT_NAMED] if answers.issuer == "unknown" else []
    doubts += [Concern.NOT_SIGNED_BY_JUDGE] if answers.judge_signed != "yes" else []
    return Kind.UNKNOWN, doubts or [Concern.TYPE_NOT_CLEAR]
