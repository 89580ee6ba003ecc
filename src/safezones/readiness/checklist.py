"""The default checklist (from the Santa Cruz County Office of Education and
the Attorney General's guidance), the school year, and when evidence expires."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safezones.readiness.models import ChecklistItem, Expiry, Source
from safezones.schools.models import District


@dataclass(frozen=True)
class DefaultItem:
    key: str
    title: Promise
    source: str = Source.ATTESTATION
    expiry: str = Expiry.SCHOOL_YEAR
    valid_days: int | None = None


DEFAULT_ITEMS = (
    DefaultItem("lead-administrator", _("A lead administrator and a backup are named")),
    DefaultItem("communications-lead", _("A communications lead and a backup are named")),
    DefaultItem(
        "call-down-list",
        _("A current call-down list (staff, district, legal, community partners), checked within 90 days"),
        expiry=Expiry.DAYS,
        valid_days=90,
    ),
    DefaultItem(
        "front-office-trained",
        _("Every front-office staff member trained on the protocol this school year"),
        source=Source.FRONT_OFFICE_TRAINING,
        expiry=Expiry.NEVER,
    ),
    DefaultItem(
        "all-staff-trained",
        _("All staff trained on the protocol this school year (the district's target)"),
        source=Source.ALL_STAFF_TRAINING,
        expiry=Expiry.NEVER,
    ),
    DefaultItem("printed-protocol", _("A printed protocol at the front office")),
    DefaultItem("non-public-signs", _("Signs that mark the non-public areas")),
    DefaultItem(
        "family-messages",
        _("Pre-approved family messages (“agents present”, “agents departed”) ready in the school's languages"),
    ),
    DefaultItem("drill", _("A drill or tabletop exercise this school year"), source=Source.DRILL),
    DefaultItem(
        "partners",
        _("At least one partner organization for legal help and one rapid response contact"),
        source=Source.PARTNERS,
        expiry=Expiry.NEVER,
    ),
    DefaultItem("kyr-workshop", _("A Know Your Rights workshop hosted or promoted this school year")),
    DefaultItem("family-preparedness", _("Family preparedness information sent home")),
)
_DEFAULT_TITLES = {item.key: item.title for item in DEFAULT_ITEMS}


def default_title(key: str) -> str | None:
    title = _DEFAULT_TITLES.get(key)
    return None if title is None else str(title)


def default_items() -> list[ChecklistItem]:
    return [
        ChecklistItem(key=item.key, position=index, source=item.source, expiry=item.expiry, valid_days=item.valid_days)
        for index, item in enumerate(DEFAULT_ITEMS)
    ]


def school_year_of(day: date, starts_month: int) -> int:
    """The calendar year in which the school year holding `day` began."""
    return day.year if day.month >= starts_month else day.year - 1


def school_year_start(day: date, starts_month: int) -> date:
    return date(school_year_of(day, starts_month), starts_month, 1)


def school_year_end(day: date, starts_month: int) -> date:
    start = school_year_start(day, starts_month)
    return date(start.year + 1, starts_month, 1) - timedelta(days=1)


def expires_on(item: ChecklistItem, on: date, starts_month: int) -> date | None:
    """The last day evidence dated `on` counts for the item."""
    if item.expiry == Expiry.SCHOOL_YEAR:
        return school_year_end(on, starts_month)
    if item.expiry == Expiry.DAYS:
        return on + timedelta(days=item.valid_days or 0)
    return None


def district_today(district: District) -> date:
    """Today in the district's own time zone."""
    return timezone.localdate(timezone=district.zone)
