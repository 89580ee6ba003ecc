"""The protocol as district-edited content: checked, versioned, immutable."""

import pytest
from django.db import DatabaseError, transaction

from safezones.campus.actions import current_protocol, export_protocol, publish_protocol
from safezones.campus.models import ProtocolVersion
from safezones.campus.protocol import ProtocolError, default_source, parse_protocol


def test_the_default_protocol_covers_every_role_and_rule_in_english_and_spanish():
    protocol = parse_protocol(default_source())
    assert [role["role"] for role in protocol["roles"]] == ["front_office", "site_admin", "area_office", "legal_office"]
    assert protocol["reference"] == "REF-6767.5"
    words = " ".join(str(protocol).lower().split())
    for rule in ("public area", "badge", "supervisor", "do not consent", "legal office", "emergency", "parent"):
        assert rule in words, rule
    for role in protocol["roles"]:
        for step in role["steps"]:
            assert {"en", "es"} <= set(step["title"]), step["key"]
            for item in step["checklist"]:
                assert {"en", "es"} <= set(item["text"])
    assert {"en", "es"} <= set(protocol["family_messages"]["agents_present"])


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("roles: [", "not valid YAML (line"),
        ("- a list", "expected a mapping"),
        ("title: {es: Hola}\nroles: []\nemergency: {}\nfamily_messages: {}", "title: the English text is missing"),
        ("title: T\nroles: [{role: janitor, steps: []}]", "roles[1]: role must be one of"),
        ("title: T\nroles: [{role: site_admin, steps: [{key: a, title: T}]}]", "the front_office role is required"),
        (
            "title: T\nroles: [{role: front_office, steps: [{key: a, title: T}, {key: a, title: U}]}]",
            "key a is used twice",
        ),
        (
            "title: T\nroles: [{role: front_office, steps: [{key: a, title: T, capture: photos}]}]",
            "capture: must be one of",
        ),
    ],
)
def test_a_bad_protocol_names_the_place_and_the_problem(source, problem):
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(source)
    assert any(problem in message for message in caught.value.problems), caught.value.problems


def test_export_and_import_give_back_the_same_protocol(cast):
    first = current_protocol(cast.district)
    again = publish_protocol(
        cast.district_office, "district_office", cast.district, export_protocol(first), note="same"
    )
    assert again.number == first.number + 1
    assert again.content == first.content


def test_publishing_makes_a_new_version_and_old_ones_never_change(cast):
    first = current_protocol(cast.district)
    edited = export_protocol(first).replace("Greet the agents and ask them to wait", "Greet them; ask them to wait")
    second = publish_protocol(cast.district_office, "district_office", cast.district, edited)
    assert current_protocol(cast.district) == second
    assert "Greet them; ask them to wait" in str(second.content)
    assert "Greet them" not in str(ProtocolVersion.objects.get(pk=first.pk).content)
    with pytest.raises(DatabaseError), transaction.atomic():
        ProtocolVersion.objects.filter(pk=first.pk).update(note="rewritten")


def test_a_bad_import_publishes_nothing(cast):
    current_protocol(cast.district)
    with pytest.raises(ProtocolError):
        publish_protocol(cast.district_office, "district_office", cast.district, "title: only a title")
    assert ProtocolVersion.objects.count() == 1
