"""Scoped reads of the district's structure."""

from django.core.cache import cache
from django.db.models import Count, QuerySet

from safezones.schools.models import Area, District, Membership, School


def current_district() -> District | None:
    return District.objects.first()


SCHOOLS_VERSION_KEY = "schools:version"


def schools_version() -> int:
    """A number that changes whenever a school is added, renamed or moved:
    what is kept in the cache about the list of schools is keyed on it."""
    version = cache.get_or_set(SCHOOLS_VERSION_KEY, 1, None)
    return int(version) if version is not None else 1


def schools_changed() -> None:
    try:
        cache.incr(SCHOOLS_VERSION_KEY)
    except ValueError:  # not set (or evicted): a fresh number no kept entry uses
        cache.set(SCHOOLS_VERSION_KEY, schools_version() + 1, None)


def school_roster(school: School) -> QuerySet[Membership]:
    """Who holds a role at the school (active accounts only)."""
    return (
        Membership.objects.filter(school=school, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )


def area_schools(area: Area) -> QuerySet[School]:
    return area.schools.annotate(staff_count=Count("memberships")).order_by("code")


def district_overview() -> list[dict[str, object]]:
    """De-identified figures per area: schools and staff accounts, no names."""
    areas = Area.objects.annotate(
        school_count=Count("schools", distinct=True),
        staff_count=Count("schools__memberships__user", distinct=True),
    ).order_by("name")
    return [
        {"area": area.name, "code": area.code, "schools": area.school_count, "staff": area.staff_count}
        for area in areas
    ]
