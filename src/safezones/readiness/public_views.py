"""The public page of each school, at /schools/<code>/: what families ask
about the school's readiness, answered before they have to ask.

No account, no script needed, nothing from another origin, and nothing that
identifies a student, a family or a member of staff: staff appear only as
counts and roles, and any count under five is shown as "fewer than 5"."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safezones.families.models import Resource
from safezones.pagecache import public_page
from safezones.readiness import sources
from safezones.readiness.checklist import district_today, school_year_start
from safezones.readiness.models import TrainingCompletion
from safezones.readiness.queries import current_checklist, partners_of, readiness_of
from safezones.schools.models import School

SMALL_COUNT = 5
PUBLIC_PAGE_SECONDS = 60


def public_count(count: int) -> str:
    """A count as families see it: under five is never given exactly."""
    return _("fewer than 5") if count < SMALL_COUNT else str(count)


@public_page
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    """Families arrive in waves when something happens near a school: the page's
    body (it holds no form and nothing personal) is kept for a minute per
    language, and dropped at once when a families notice is published."""
    school = School.objects.select_related("area__district").filter(code=code).first()
    if school is None:
        raise Http404
    key = public_page_key(school.code, get_language() or "en")
    body = cache.get(key)
    if body is None:
        body = render_to_string("readiness/public_school_body.html", _facts(school), request=request)
        cache.set(key, body, PUBLIC_PAGE_SECONDS)
    return render(request, "readiness/public_school.html", {"school": school, "body": mark_safe(body)})  # noqa: S308 - our own template's output


def public_page_key(code: str, language: str) -> str:
    return f"public-school:{code}:{language}"


def forget_public_page(code: str) -> None:
    cache.delete_many([public_page_key(code, language) for language, _name in settings.LANGUAGES])


def _facts(school: School) -> dict[str, Any]:
    district = school.area.district
    today = district_today(district)
    since = school_year_start(today, current_checklist(district).starts_month)
    readiness = readiness_of(School.objects.filter(pk=school.pk).select_related("area"), district, today)[0]
    received, resolved = sources.reports_this_year(school.pk, since)
    context: dict[str, Any] = {
        "school": school,
        "readiness": readiness,
        "since": since,
        "today": today,
        "trained": public_count(readiness.training.trained),
        "staff": public_count(readiness.training.staff),
        "trained_as_of": _trained_as_of(school, readiness.training.trained, current_checklist(district)),
        "partners": partners_of(school),
        "help": _area_resources(school),
        "reports_received": public_count(received),
        "reports_resolved": public_count(resolved),
        "notice": sources.latest_notice(school.pk),
    }
    context.update(_workshops(school, since))
    return context


def _trained_as_of(school: School, trained: int, checklist: Any) -> Any:
    if not trained:
        return None
    latest = TrainingCompletion.objects.filter(
        staff__school=school, course__iexact=checklist.checklist.protocol_course
    ).aggregate(latest=Max("completed_on"))
    return latest["latest"]


def _in_area(school: School) -> Q:
    return Q(areas=school.area) | Q(areas__isnull=True)


def _area_resources(school: School) -> list[Resource]:
    kinds = [Resource.Kind.LEGAL_AID, Resource.Kind.RAPID_RESPONSE]
    return list(Resource.objects.filter(_in_area(school), kind__in=kinds).distinct().order_by("kind", "name")[:20])


def _workshops(school: School, since: Any) -> dict[str, list[Resource]]:
    found = (
        Resource.objects.filter(_in_area(school), kind=Resource.Kind.WORKSHOP, starts_at__date__gte=since)
        .distinct()
        .order_by("starts_at")
    )
    now = timezone.now()
    workshops = list(found[:50])
    return {
        "upcoming": [w for w in workshops if w.starts_at is not None and w.starts_at >= now],
        "past": [w for w in workshops if w.starts_at is not None and w.starts_at < now][-10:],
    }
