"""How the check reasons, case by case, beyond the document set."""

import subprocess
import sys
from datetime import date

import pytest

from safezones.campus.doccheck import Concern, Kind, check_text
from safezones.campus.doccheck.steps import STEPS

TODAY = date(2026, 11, 15)
LEGAL_OFFICE = STEPS["send_to_legal"]
NO_CONSENT = STEPS["no_consent"]


def check(text: str, **options):
    return check_text(text, options.pop("lang", "en"), today=options.pop("today", TODAY), **options)


SIGNED_SEARCH_WARRANT = """UNITED STATES DISTRICT COURT
SEARCH AND SEIZURE WARRANT
The records office of Lincoln Middle School, 1200 Ocean View Avenue
Date and time issued: {issued}
/s/ Robert Chen
Robert Chen, United States Magistrate Judge
"""


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_sends_the_document_to_the_legal_office(kind):
    from safezones.campus.doccheck import steps

    assert LEGAL_OFFICE in steps.next_steps(kind, (), "en")


def test_unknown_starts_with_the_strictest_steps():
    result = check("Please let us in, we have papers.")
    assert result.kind == Kind.UNKNOWN
    assert result.next_steps[0] == NO_CONSENT
    assert STEPS["legal_now"] in result.next_steps[:2]


def test_an_administrative_warrant_says_not_to_consent():
    result = check(
        "Department of Homeland Security\nWARRANT FOR ARREST OF ALIEN\nForm I-200\n/s/ J. Doe, Deportation Officer"
    )
    assert result.kind == Kind.ADMINISTRATIVE_WARRANT
    assert STEPS["administrative_warrant_no_entry"] in result.next_steps
    assert NO_CONSENT in result.next_steps


def test_a_judicial_warrant_is_never_called_valid():
    result = check(SIGNED_SEARCH_WARRANT.format(issued="November 12, 2026"))
    assert result.kind == Kind.JUDICIAL_WARRANT
    assert result.concerns == ()
    assert "valid" not in " ".join(result.next_steps).lower().replace("invalid", "")
    assert LEGAL_OFFICE in result.next_steps


def test_a_search_warrant_without_a_date_lasts_the_days_the_law_allows():
    assert Concern.EXPIRED in check(SIGNED_SEARCH_WARRANT.format(issued="October 30, 2026")).concerns
    assert Concern.EXPIRED not in check(SIGNED_SEARCH_WARRANT.format(issued="November 2, 2026")).concerns


def test_a_problem_with_a_judicial_warrant_adds_the_no_consent_step():
    result = check(SIGNED_SEARCH_WARRANT.format(issued="October 1, 2026"))
    assert result.kind == Kind.JUDICIAL_WARRANT
    assert NO_CONSENT in result.next_steps


def test_another_school_is_noticed_only_when_a_school_is_named():
    warrant = SIGNED_SEARCH_WARRANT.format(issued="November 12, 2026")
    assert Concern.WRONG_SCHOOL in check(warrant, school_name="Roosevelt Elementary School").concerns
    assert Concern.WRONG_SCHOOL not in check(warrant, school_name="lincoln middle school").concerns
    assert Concern.WRONG_SCHOOL not in check(warrant.replace("Lincoln Middle School, ", ""), school_name="X").concerns


@pytest.mark.parametrize(
    "text",
    [
        "w a r r a n t  f o r  a r r e s t  o f  a l i e n   department of homeland security",
        "WARRANTFORARRESTOFALIEN DEPARTMENT OF H0MELAND SECURITY",
        "Warrant For Arrest Of Alien -- Dept? no: Department of Homeland Security",
    ],
)
def test_spacing_and_case_do_not_matter(text):
    assert check(text).kind == Kind.ADMINISTRATIVE_WARRANT


def test_a_court_warrant_obtained_by_an_agency_is_still_judicial():
    """Homeland Security agents apply for court warrants too; naming the
    agency does not outweigh the court, the judge and the form."""
    text = SIGNED_SEARCH_WARRANT.format(issued="November 12, 2026") + "Applicant: Homeland Security Investigations"
    assert check(text).kind == Kind.JUDICIAL_WARRANT


def test_an_agency_form_with_a_court_name_is_unknown():
    text = "United States District Court\nWARRANT FOR ARREST OF ALIEN\nForm I-200\n/s/ B. K., Deportation Officer"
    assert check(text).concerns == (Concern.CONFLICTING_MARKERS,)


def test_a_signed_court_subpoena_may_be_signed_by_a_clerk():
    text = "SUPERIOR COURT OF CALIFORNIA\nSUBPOENA\nYou are ordered to appear.\n/s/ Dana Lee, Deputy Clerk"
    assert check(text).kind == Kind.JUDICIAL_SUBPOENA


def test_a_court_warrant_signed_by_someone_else_is_unknown():
    text = "UNITED STATES DISTRICT COURT\nARREST WARRANT\nDefendant: John Smith\n/s/ Dana Lee, Deputy Clerk"
    result = check(text)
    assert result.kind == Kind.UNKNOWN
    assert Concern.NOT_SIGNED_BY_JUDGE in result.concerns


def test_a_detainer_is_not_a_warrant():
    result = check("IMMIGRATION DETAINER - NOTICE OF ACTION\nForm I-247A\n/s/ T. Greer, Deportation Officer")
    assert result.kind == Kind.DETAINER
    assert STEPS["detainer_no_entry"] in result.next_steps


def test_an_unsigned_agency_paper_is_flagged():
    result = check("Department of Homeland Security\nNOTICE TO APPEAR\nRespondent: Ana Lopez")
    assert result.kind == Kind.NOTICE_TO_APPEAR
    assert result.concerns == (Concern.NO_SIGNATURE,)


def test_a_warrant_from_nobody_in_particular_is_unknown():
    result = check("WARRANT\nYou must let us in.\nSigned: Officer Smith")
    assert result.kind == Kind.UNKNOWN
    assert result.concerns[0] == Concern.ISSUER_NOT_NAMED


def test_the_answer_has_exactly_the_promised_fields():
    answer = check("anything at all").to_json()
    assert set(answer) == {"kind", "label", "explanation", "markers", "concerns", "next_steps", "route_to_legal"}
    assert answer["route_to_legal"] is True


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        check("text", lang="fr")


def test_spanish_advice_is_in_spanish():
    result = check("Department of Homeland Security\nWARRANT FOR ARREST OF ALIEN\nForm I-200", lang="es")
    assert all(step != english for step, english in zip(result.next_steps, check("x").next_steps, strict=False))
    assert "oficina jurídica" in " ".join(result.next_steps)
    assert result.to_json()["label"].startswith("Orden administrativa")


def test_the_engine_does_not_need_django():
    code = (
        "import sys\n"
        "from safezones.campus.doccheck import check_text, read_document\n"
        "check_text(read_document(b'WARRANT FOR ARREST OF ALIEN, Form I-200'), 'es').to_json()\n"
        "assert not [name for name in sys.modules if name.startswith('django')], 'django was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
