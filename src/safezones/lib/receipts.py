"""Receipts: what a family keeps to follow up on a request or report.

A receipt is 25 random decimal digits in five groups of five, e.g.
`48213-90577-12034-66801-29345`: about 83 bits from the operating system's
secure random source, digits only so it can be read aloud, written by hand or
typed on any phone keypad, in any language. It is shown once and stored only
as a keyed digest (see lib/crypto.py).
"""

import math
import re
import secrets

GROUPS, GROUP_DIGITS = 5, 5
DIGITS = GROUPS * GROUP_DIGITS
BITS = DIGITS * math.log2(10)


def new_receipt() -> str:
    digits = "".join(secrets.choice("0123456789") for _ in range(DIGITS))
    return format_receipt(digits)


def format_receipt(digits: str) -> str:
    return "-".join(digits[i : i + GROUP_DIGITS] for i in range(0, DIGITS, GROUP_DIGITS))


def normalize(text: str) -> str | None:
    """The receipt's digits from what a person typed (spaces, dashes, dots and
    full-width digits allowed), or None if it cannot be a receipt."""
    digits = re.sub(r"[\s\-\.·_/]", "", text or "")
    if len(digits) != DIGITS or not digits.isdigit():
        return None
    return "".join(str(int(char)) for char in digits)  # full-width and other digit forms to ASCII
