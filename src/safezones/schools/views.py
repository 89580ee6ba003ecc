"""Staff pages about schools and areas. Each view: parse, check access
(schools/access.py), call one query or action, render."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safezones.accounts.decorators import staff_required
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.actions import update_school
from safezones.schools.forms import SchoolForm
from safezones.schools.queries import area_schools, school_roster


@staff_required
def school_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_SCHOOL)
    schools = access.schools_with(request.user, Capability.VIEW_SCHOOL)
    return render(request, "schools/school_list.html", {"schools": schools})


@staff_required
def school_detail(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code)
    context = {
        "school": school,
        "roster": school_roster(school),
        "can_manage": access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) is not None,
    }
    return render(request, "schools/school_detail.html", context)


@staff_required
def school_edit(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code, Capability.MANAGE_SCHOOL)
    initial = {"name": school.name, "address": school.address, "languages": ", ".join(school.languages)}
    form = SchoolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        role = access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) or ""
        update_school(request.user, role, school, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("The school's details were saved."))
        return redirect("schools:detail", code=school.code)
    return render(request, "schools/school_edit.html", {"school": school, "form": form})


@staff_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area(request.user, code)
    return render(request, "schools/area_detail.html", {"area": area, "schools": area_schools(area)})
