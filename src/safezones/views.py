"""The public front page, the staff home, the district overview and /healthz."""

from pathlib import Path

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safezones.accounts.decorators import staff_required
from safezones.campus.alerts import open_alerts_for
from safezones.families.directory import resources_to_check
from safezones.outbox.queries import undelivered_messages
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.queries import district_overview


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    context = {
        "memberships": access.memberships(request.user),
        "schools": access.schools_with(request.user, Capability.VIEW_SCHOOL)[:50],
        "areas": access.areas_with(request.user, Capability.VIEW_AREA),
        "open_alerts": open_alerts_for(request.user)[:10],  # type: ignore[arg-type]
        "may_respond": access.has(request.user, Capability.RESPOND),
    }
    return render(request, "staff/home.html", context)


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_AGGREGATES)
    context: dict[str, object] = {"rows": district_overview()}
    if access.has(request.user, Capability.MANAGE_SCHOOL) and not access.memberships_limited_to_area(request.user):
        context["undelivered"] = undelivered_messages()
        context["to_check"] = resources_to_check(timezone.localdate())
    return render(request, "staff/overview.html", context)


SERVICE_WORKER = Path(__file__).parent / "static" / "js" / "sw.js"


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so it may keep staff pages for offline reading."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post, most often a page left open past sign-out or the idle limit."""
    return render(request, "csrf_failure.html", status=403)


def livez(request: HttpRequest) -> HttpResponse:
    """The process answers (no database): for load balancers and as the bare
    baseline the benchmarks compare pages with."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
