"""Whatever text arrives, the check answers with a well-formed result that
sends the document to the legal office, and never raises."""

from hypothesis import given, settings
from hypothesis import strategies as st

from safezones.campus.doccheck import Kind, check_text
from safezones.campus.doccheck.result import Concern
from safezones.campus.doccheck.steps import STEPS

WORDS = [
    "United States District Court",
    "Superior Court",
    "Department of Homeland Security",
    "ICE",
    "WARRANT",
    "Warrant for Arrest of Alien",
    "SUBPOENA",
    "ORDER",
    "IT IS SO ORDERED",
    "Form I-200",
    "Form I-247A",
    "AO 93",
    "Notice to Appear",
    "/s/ Jane Roe",
    "United States Magistrate Judge",
    "Deportation Officer",
    "Immigration Judge",
    "on or before November 1, 2026",
    "Lincoln Middle School",
    "1200 Ocean View Avenue",
    "\n",
    "(Signature of Authorized Immigration Officer)",
]
texts = st.one_of(
    st.text(max_size=3000),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=30)), max_size=60).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, lang=st.sampled_from(["en", "es"]), school=st.one_of(st.none(), st.text(max_size=40)))
def test_any_text_gets_a_valid_answer(text, lang, school):
    answer = check_text(text, lang, school_name=school).to_json()
    assert answer["kind"] in set(Kind)
    assert answer["route_to_legal"] is True
    assert all(concern in set(Concern) for concern in answer["concerns"])
    assert all(set(found) == {"marker", "text"} for found in answer["markers"])
    assert answer["next_steps"]
    if lang == "en":
        assert STEPS["send_to_legal"] in answer["next_steps"]
