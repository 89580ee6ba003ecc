"""Staff pages for readiness. Each view: parse, check access
(schools/access.py), call one query or action, render."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safezones.accounts.decorators import staff_required
from safezones.accounts.reauth import confirm_first, fresh_sign_in_required
from safezones.readiness import report
from safezones.readiness.actions import (
    ChecklistSettings,
    NotAttestableError,
    add_partner,
    attest_item,
    import_training,
    publish_checklist,
    remove_partner,
    verify_item,
)
from safezones.readiness.checklist import district_today
from safezones.readiness.forms import AttestForm, ChecklistForm, PartnerForm, TrainingImportForm, VerifyForm
from safezones.readiness.models import Evidence, StaffRole
from safezones.readiness.queries import current_checklist, partners_of, readiness_of
from safezones.readiness.training import parse_training
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.models import District, School
from safezones.schools.queries import current_district

# The table's rows come drawn from report.school_rows.
DASHBOARD_TEMPLATE = "readiness/dashboard.html"


def _district() -> District:
    district = current_district()
    if district is None:
        raise Http404
    return district


def _role(request: HttpRequest, capability: Capability, school: School | None = None) -> str:
    return access.granting_role(request.user, capability, school=school) or ""


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_READINESS)
    schools = access.schools_with(request.user, Capability.VIEW_READINESS)
    context = report.dashboard_context(
        schools,
        _district(),
        title=_("Readiness across the district"),
        can_open_schools=access.has(request.user, Capability.VIEW_SCHOOL),
    )
    context["areas"] = access.areas_with(request.user, Capability.VIEW_AREA)
    context["can_manage"] = access.has(request.user, Capability.MANAGE_READINESS)
    return render(request, DASHBOARD_TEMPLATE, context)


@staff_required
def area_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    access.require(request.user, Capability.VIEW_READINESS)
    area = access.get_area(request.user, code)
    schools = access.schools_with(request.user, Capability.VIEW_READINESS).filter(area=area)
    context = report.dashboard_context(schools, _district(), title=area.name, can_open_schools=True)
    context["area"] = area
    return render(request, DASHBOARD_TEMPLATE, context)


@staff_required
@fresh_sign_in_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """One of the dashboard's tables as CSV: schools, distribution or trend."""
    access.require(request.user, Capability.VIEW_READINESS)
    schools = access.schools_with(request.user, Capability.VIEW_READINESS)
    if area_code := request.GET.get("area"):
        schools = schools.filter(area=access.get_area(request.user, area_code))
    table = request.GET.get("table", "schools")
    if table not in report.TABLES:
        raise Http404
    return report.csv_response(table, schools, _district())


@staff_required
def annual_report(request: HttpRequest) -> HttpResponse:
    """The board's annual readiness report, as a page, a PDF or a CSV."""
    access.require(request.user, Capability.VIEW_READINESS)
    schools = access.schools_with(request.user, Capability.VIEW_READINESS)
    district = _district()
    kind = request.GET.get("format", "html")
    if kind in ("csv", "pdf") and (confirm := confirm_first(request)):
        return confirm
    if kind == "csv":
        return report.csv_response("schools", schools, district)
    context = report.annual_context(schools, district)
    if kind == "pdf":
        return report.pdf_response(request, context)
    return render(request, "readiness/annual_report.html", context)


@staff_required
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code)
    district = _district()
    today = district_today(district)
    checklist = current_checklist(district)
    readiness = readiness_of(
        access.schools_with(request.user, Capability.VIEW_SCHOOL).filter(pk=school.pk), district, today
    )[0]
    may_attest = access.granting_role(request.user, Capability.ATTEST_READINESS, school=school) is not None
    context: dict[str, Any] = {
        "school": school,
        "readiness": readiness,
        "roles": [(label, *readiness.training.by_role.get(value, (0, 0))) for value, label in StaffRole.choices],
        "partners": partners_of(school),
        "may_attest": may_attest,
        "may_verify": access.granting_role(request.user, Capability.VERIFY_READINESS, school=school) is not None,
        "attest_form": AttestForm(items=checklist.items, today=today, initial={"on": today}) if may_attest else None,
        "partner_form": PartnerForm() if may_attest else None,
    }
    return render(request, "readiness/school.html", context)


@require_POST
@staff_required
def school_attest(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code, Capability.ATTEST_READINESS)
    district = _district()
    checklist = current_checklist(district)
    form = AttestForm(request.POST, request.FILES, items=checklist.items, today=district_today(district))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("readiness:school", code=school.code)
    data = form.cleaned_data
    try:
        attest_item(
            request.user,  # type: ignore[arg-type]
            _role(request, Capability.ATTEST_READINESS, school),
            school,
            data["item"],
            on=data["on"],
            note=data["note"],
            file=data["file"],
        )
    except NotAttestableError:
        messages.error(request, _("This item is answered by records, not by attestation."))
    else:
        messages.success(request, _("Attested. The area office will verify it."))
    return redirect("readiness:school", code=school.code)


@require_POST
@staff_required
def school_verify(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code, Capability.VERIFY_READINESS)
    form = VerifyForm(request.POST)
    role = _role(request, Capability.VERIFY_READINESS, school)
    if form.is_valid() and verify_item(request.user, role, school, form.cleaned_data["item"]):  # type: ignore[arg-type]
        messages.success(request, _("Verified."))
    else:
        messages.error(request, _("There is nothing attested to verify for this item."))
    return redirect("readiness:school", code=school.code)


@require_POST
@staff_required
def school_partners(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code, Capability.ATTEST_READINESS)
    form = PartnerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an organization from the district's directory."))
        return redirect("readiness:school", code=school.code)
    role = _role(request, Capability.ATTEST_READINESS, school)
    resource = form.cleaned_data["resource"]
    if form.cleaned_data["remove"]:
        remove_partner(request.user, role, school, resource)  # type: ignore[arg-type]
    else:
        add_partner(request.user, role, school, resource)  # type: ignore[arg-type]
    messages.success(request, _("Saved."))
    return redirect("readiness:school", code=school.code)


@staff_required
def evidence_file(request: HttpRequest, code: str) -> HttpResponse:
    """The file attached to the school's current evidence for one item (?item=key)."""
    school = access.get_school(request.user, code)
    evidence = Evidence.objects.filter(school=school, item_key=request.GET.get("item", ""), superseded=False).first()
    if evidence is None or not evidence.file:
        raise Http404
    suffix = (evidence.file.name or "").rsplit(".", maxsplit=1)[-1]
    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
    with evidence.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=types.get(suffix, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{school.code}-{evidence.item_key}.{suffix}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def training(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_READINESS)
    district = _district()
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        codes = set(School.objects.values_list("code", flat=True))
        parsed = parse_training(form.cleaned_data["file"].read(), codes, district_today(district))
        if parsed.errors:
            context["errors"] = parsed.errors
        elif not parsed.rows:
            context["errors"] = [(1, _("The file has no rows."))]
        else:
            role = _role(request, Capability.MANAGE_READINESS)
            context["summary"] = import_training(request.user, role, district, parsed.rows)  # type: ignore[arg-type]
            context["rows"] = len(parsed.rows)
    return render(request, "readiness/training.html", context, status=400 if "errors" in context else 200)


@staff_required
def checklist(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_READINESS)
    district = _district()
    current = current_checklist(district)
    settings = current.checklist
    initial = {
        "threshold_percent": settings.threshold_percent,
        "all_staff_target_percent": settings.all_staff_target_percent,
        "protocol_course": settings.protocol_course,
        "school_year_starts_month": settings.school_year_starts_month,
    }
    form = ChecklistForm(request.POST or None, items=current.items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = ChecklistSettings(**{name: data[name] for name in initial})
        role = _role(request, Capability.MANAGE_READINESS)
        saved = publish_checklist(request.user, role, district, chosen, form.chosen_items())  # type: ignore[arg-type]
        messages.success(
            request, _("Version %(version)d of the checklist is now in force.") % {"version": saved.version}
        )
        return redirect("readiness:checklist")
    return render(request, "readiness/checklist.html", {"form": form, "current": current})
