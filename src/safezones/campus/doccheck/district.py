"""The one piece of the document check that needs Django: what day it is
where the district is, for telling whether a warrant's window has passed.
The engine itself takes the date as an argument."""

from datetime import date

from django.db import DatabaseError
from django.utils import timezone

from safezones.schools.models import District


def district_today() -> date:
    """Today in the district's time zone; the server's before a district is
    set up, or when the command runs without a database."""
    try:
        district = District.objects.only("time_zone").first()
    except DatabaseError:
        district = None
    return timezone.localdate(timezone=district.zone if district else None)
