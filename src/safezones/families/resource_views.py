"""Staff pages for the resource directory: the offices that answer families
read it with the entries due for checking flagged; the district office adds,
edits, marks as verified, removes and imports entries."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safezones.accounts.decorators import staff_required
from safezones.families.actions import add_resource, change_resource, import_resources, remove_resource, verify_resource
from safezones.families.directory import parse_directory
from safezones.families.forms import ResourceForm, ResourceImportForm
from safezones.families.models import Resource
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.queries import current_district


def _zone() -> ZoneInfo:
    district = current_district()
    return district.zone if district else ZoneInfo("UTC")


def _manager_role(request: HttpRequest) -> str:
    """Refuse (403) anyone the directory is not theirs to change."""
    access.require(request.user, Capability.MANAGE_RESOURCES)
    return access.granting_role(request.user, Capability.MANAGE_RESOURCES) or ""


@staff_required
def directory(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.READ_FAMILY_CASES)
    today = timezone.localdate(timezone=_zone())
    entries = list(Resource.objects.prefetch_related("areas").order_by("kind", "name"))
    rows = [(entry, entry.needs_checking(today)) for entry in entries]
    context: dict[str, Any] = {
        "rows": rows,
        "stale": sum(1 for _entry, stale in rows if stale),
        "may_manage": access.has(request.user, Capability.MANAGE_RESOURCES),
    }
    return render(request, "families/resources.html", context)


@staff_required
def resource_new(request: HttpRequest) -> HttpResponse:
    role = _manager_role(request)
    form = ResourceForm(request.POST or None, zone=_zone())
    if request.method == "POST" and form.is_valid():
        resource = add_resource(request.user, role, form.values())  # type: ignore[arg-type]
        messages.success(request, _("%(name)s was added to the directory.") % {"name": resource.name})
        return redirect("resources:list")
    return render(request, "families/resource_form.html", {"form": form, "resource": None})


@staff_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = _manager_role(request)
    resource = get_object_or_404(Resource, pk=pk)
    form = ResourceForm(request.POST or None, instance=resource, zone=_zone())
    if request.method == "POST" and form.is_valid():
        change_resource(request.user, role, resource, form.values())  # type: ignore[arg-type]
        messages.success(request, _("Saved."))
        return redirect("resources:list")
    return render(request, "families/resource_form.html", {"form": form, "resource": resource})


@require_POST
@staff_required
def resource_verify(request: HttpRequest, pk: int) -> HttpResponse:
    role = _manager_role(request)
    resource = get_object_or_404(Resource, pk=pk)
    verify_resource(request.user, role, resource, timezone.localdate(timezone=_zone()))  # type: ignore[arg-type]
    messages.success(request, _("%(name)s is marked as verified today.") % {"name": resource.name})
    return redirect("resources:list")


@require_POST
@staff_required
def resource_remove(request: HttpRequest, pk: int) -> HttpResponse:
    role = _manager_role(request)
    resource = get_object_or_404(Resource, pk=pk)
    name = resource.name
    remove_resource(request.user, role, resource)  # type: ignore[arg-type]
    messages.success(request, _("%(name)s was removed from the directory.") % {"name": name})
    return redirect("resources:list")


@staff_required
def resource_import(request: HttpRequest) -> HttpResponse:
    role = _manager_role(request)
    form = ResourceImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        parsed = parse_directory(form.cleaned_data["file"], _zone())
        if parsed.errors:
            context["errors"] = parsed.errors
        elif not parsed.rows:
            context["errors"] = [(1, _("The file has no rows."))]
        else:
            created, updated = import_resources(request.user, role, parsed.rows)  # type: ignore[arg-type]
            messages.success(
                request,
                _("Imported %(rows)d rows: %(created)d added, %(updated)d updated.")
                % {"rows": len(parsed.rows), "created": created, "updated": updated},
            )
            return redirect("resources:list")
    return render(request, "families/resource_import.html", context, status=400 if "errors" in context else 200)
