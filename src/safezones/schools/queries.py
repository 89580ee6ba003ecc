"""Scoped reads of the district's structure."""

from django.db.models import Count, QuerySet

from safezones.schools.models import Area, District, Membership, School


def current_district() -> District | None:
    return District.objects.first()


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
