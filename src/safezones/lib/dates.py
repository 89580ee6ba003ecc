"""Dates in the district's working week."""

from datetime import date, timedelta

WEEKEND = (5, 6)  # Saturday, Sunday


def add_school_days(start: date, days: int) -> date:
    """The date `days` school days (Monday to Friday) after `start`."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() not in WEEKEND:
            left -= 1
    return current
