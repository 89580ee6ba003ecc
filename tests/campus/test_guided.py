"""The guided questions for a document whose words cannot be read."""

import pytest

from safezones.campus.doccheck.guided import Answers, check_answers


@pytest.mark.parametrize(
    ("title", "issuer", "judge", "court", "kind"),
    [
        ("warrant", "court", "yes", "yes", "judicial_warrant"),
        ("subpoena", "court", "yes", "yes", "judicial_subpoena"),
        ("order", "court", "yes", "yes", "court_order"),
        ("warrant", "immigration", "no", "no", "administrative_warrant"),
        ("subpoena", "immigration", "unknown", "no", "administrative_subpoena"),
        ("detainer", "immigration", "no", "no", "detainer"),
        ("notice_to_appear", "immigration", "no", "no", "notice_to_appear"),
        # Doubt never lands on a judicial kind.
        ("warrant", "court", "unknown", "yes", "unknown"),
        ("warrant", "court", "yes", "no", "unknown"),
        ("warrant", "unknown", "unknown", "unknown", "unknown"),
        ("order", "immigration", "no", "no", "unknown"),
        ("warrant", "court", "no", "yes", "unknown"),
        ("unknown", "court", "yes", "yes", "unknown"),
    ],
)
def test_answers_give_the_kind_and_doubt_gives_unknown(title, issuer, judge, court, kind):
    result = check_answers(Answers(title, issuer, judge, court), "en")
    assert result.kind == kind
    assert result.route_to_legal
    assert any("legal office" in step for step in result.next_steps)


def test_unknown_gets_the_strictest_steps_in_spanish():
    result = check_answers(Answers("warrant", "unknown", "unknown", "unknown"), "es")
    assert result.kind == "unknown"
    assert any("consentimiento" in step for step in result.next_steps)


def test_an_answer_outside_the_choices_is_refused():
    with pytest.raises(ValueError, match="maybe"):
        Answers("warrant", "court", "maybe", "yes")
