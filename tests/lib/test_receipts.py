import re

import pytest

from safezones.lib import receipts


def test_a_receipt_holds_at_least_80_random_bits():
    assert receipts.BITS >= 80


def test_it_is_five_groups_of_five_digits():
    assert re.fullmatch(r"\d{5}(-\d{5}){4}", receipts.new_receipt())


def test_receipts_do_not_repeat():
    assert len({receipts.new_receipt() for _ in range(2000)}) == 2000


def test_every_digit_appears_in_every_position():
    seen: list[set[str]] = [set() for _ in range(receipts.DIGITS)]
    for _ in range(400):
        for position, digit in enumerate(receipts.normalize(receipts.new_receipt()) or ""):
            seen[position].add(digit)
    assert all(len(digits) == 10 for digits in seen)


@pytest.mark.parametrize(
    "typed",
    [
        "48213-90577-12034-66801-29345",
        "48213 90577 12034 66801 29345",
        " 4821390577120346680129345 ",
        "48213.90577.12034.66801.29345",
        "\uff14\uff18\uff12\uff11\uff13-90577-12034-66801-29345",  # full-width digits from a phone keyboard
    ],
)
def test_what_people_type_is_understood(typed):
    assert receipts.normalize(typed) == "4821390577120346680129345"


@pytest.mark.parametrize("typed", ["", "1234", "48213-90577-12034-66801-2934", "48213-90577-12034-66801-2934X", None])
def test_what_cannot_be_a_receipt_is_refused(typed):
    assert receipts.normalize(typed) is None
