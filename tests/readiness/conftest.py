import os
from datetime import date

from safezones.families.models import FamilyCase
from safezones.schools.models import School


def file_case(school: School, kind: str = "report", status: str = "received", on: date | None = None) -> FamilyCase:
    """A family case with only the fields counting needs (no content)."""
    day = on or date.today()  # noqa: DTZ011 - a date, compared with dates only
    return FamilyCase.objects.create(
        kind=kind,
        school=school,
        language="es",
        status=status,
        received_on=day,
        updated_on=day,
        receipt_digest=os.urandom(32),
        salt=b"",
        family_sealed_key=b"",
        content=b"",
    )
