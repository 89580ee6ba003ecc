"""Pages for the offices: the protocol and its versions, each school's
call-down list, families notices waiting for approval, records requests,
the incident PDF and the board report."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safezones.accounts.decorators import staff_required
from safezones.accounts.keys import unlocked_private_key
from safezones.accounts.reauth import confirm_first, fresh_sign_in_required
from safezones.campus import actions, calldown, documents, notices, records, reports
from safezones.campus.forms import (
    ConditionForm,
    ContactForm,
    DecisionChoiceForm,
    PeriodForm,
    ProtocolForm,
    RecordsRequestForm,
)
from safezones.campus.models import (
    CallDownContact,
    FamilyNotice,
    Incident,
    IncidentDocument,
    ProtocolVersion,
    RecordsRequest,
)
from safezones.campus.protocol import ProtocolError, in_language
from safezones.lib.pdf import html_to_pdf
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.models import District
from safezones.schools.queries import current_district

# --- Protocol --------------------------------------------------------------------


def _district() -> District:
    district = current_district()
    if district is None:
        raise Http404
    return district


@staff_required
def protocol_current(request: HttpRequest, number: int | None = None) -> HttpResponse:
    """The protocol to read before anything happens (and offline, once opened)."""
    access.require(request.user, Capability.VIEW_SCHOOL)
    district = _district()
    if number is None:
        version = actions.current_protocol(district)
    else:
        version = get_object_or_404(ProtocolVersion, district=district, number=number)
    language = get_language() or "en"
    content = version.content

    def text(value: dict[str, str] | None) -> str:
        return in_language(value or {}, language)

    roles = [
        {
            "role": section["role"],
            "steps": [
                {
                    "title": text(step["title"]),
                    "say_en": (step.get("say") or {}).get("en", ""),
                    "say_here": text(step.get("say")) if step.get("say") and not language.startswith("en") else "",
                    "do": text(step.get("do")),
                    "checklist": [text(item["text"]) for item in step["checklist"]],
                }
                for step in section["steps"]
            ],
        }
        for section in content["roles"]
    ]
    context = {
        "version": version,
        "title": text(content["title"]),
        "summary": text(content.get("summary")),
        "roles": roles,
        "emergency": {key: text(value) for key, value in content["emergency"].items()},
        "family_messages": {key: text(value) for key, value in content["family_messages"].items()},
        "versions": ProtocolVersion.objects.filter(district=district).only("number", "published_at", "note")[:50],
        "may_edit": access.has(request.user, Capability.MANAGE_PROTOCOL),
    }
    return render(request, "campus/protocol.html", context)


@staff_required
def protocol_edit(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_PROTOCOL)
    role = access.granting_role(request.user, Capability.MANAGE_PROTOCOL) or ""
    district = _district()
    current = actions.current_protocol(district)
    if request.method == "POST":
        form = ProtocolForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = actions.publish_protocol(
                    request.user,  # type: ignore[arg-type]
                    role,
                    district,
                    form.cleaned_data["source"],
                    form.cleaned_data["note"],
                )
            except ProtocolError as error:
                for problem in error.problems[:30]:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
                return redirect("protocol:current")
    else:
        form = ProtocolForm(initial={"source": actions.export_protocol(current)})
    return render(request, "campus/protocol_edit.html", {"form": form, "current": current})


@staff_required
def protocol_export(request: HttpRequest, number: int) -> HttpResponse:
    access.require(request.user, Capability.VIEW_SCHOOL)
    version = get_object_or_404(ProtocolVersion, district=_district(), number=number)
    response = HttpResponse(actions.export_protocol(version), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="protocol-v{version.number}.yaml"'
    return response


# --- Call-down list --------------------------------------------------------------


@staff_required
def call_down(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code)
    may_edit = access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) is not None
    form = ContactForm()
    if request.method == "POST":
        school = access.get_school(request.user, code, Capability.MANAGE_SCHOOL)
        role = access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) or ""
        form = ContactForm(request.POST)
        if form.is_valid():
            calldown.add_contact(request.user, role, school, form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Contact added."))
            return redirect("schools:call-down", school.code)
    contacts = CallDownContact.objects.filter(school=school).select_related("user")
    review = getattr(school, "call_down_review", None)
    rows = [(contact, calldown.describe_channels(contact)) for contact in contacts]
    context = {"school": school, "rows": rows, "form": form, "may_edit": may_edit, "review": review}
    return render(request, "campus/call_down.html", context)


@require_POST
@staff_required
def call_down_remove(request: HttpRequest, code: str, contact_id: int) -> HttpResponse:
    school = access.get_school(request.user, code, Capability.MANAGE_SCHOOL)
    role = access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) or ""
    contact = get_object_or_404(CallDownContact, pk=contact_id, school=school)
    calldown.remove_contact(request.user, role, contact)  # type: ignore[arg-type]
    return redirect("schools:call-down", school.code)


@require_POST
@staff_required
def call_down_verify(request: HttpRequest, code: str) -> HttpResponse:
    school = access.get_school(request.user, code, Capability.MANAGE_SCHOOL)
    role = access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) or ""
    calldown.verify_call_down(request.user, role, school)  # type: ignore[arg-type]
    messages.success(request, _("Marked as current today."))
    return redirect("schools:call-down", school.code)


# --- Families notices --------------------------------------------------------------


@staff_required
def notice_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.APPROVE_NOTICES)
    found = FamilyNotice.objects.select_related("incident__school").order_by("-requested_at")[:200]
    return render(request, "campus/notices.html", {"notices": found})


@require_POST
@staff_required
def notice_decide(request: HttpRequest, notice_id: int) -> HttpResponse:
    access.require(request.user, Capability.APPROVE_NOTICES)
    role = access.granting_role(request.user, Capability.APPROVE_NOTICES) or ""
    notice = get_object_or_404(FamilyNotice, pk=notice_id)
    if request.POST.get("decision") == "approve":
        notices.approve_notice(request.user, role, notice)  # type: ignore[arg-type]
        messages.success(request, _("Approved and published."))
    else:
        notices.withdraw_notice(request.user, role, notice)  # type: ignore[arg-type]
    return redirect("notices:list")


@staff_required
@fresh_sign_in_required
def notice_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.APPROVE_NOTICES)
    published = FamilyNotice.objects.filter(status=FamilyNotice.Status.PUBLISHED).select_related("incident__school")
    response = HttpResponse(
        notices.notices_csv(published.order_by("-published_at")), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="families-notices.csv"'
    return response


# --- Records requests ----------------------------------------------------------------


@staff_required
def records_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_SCHOOL)
    schools = access.schools_with(request.user, Capability.RESPOND)
    form = RecordsRequestForm()
    if request.method == "POST":
        school = access.get_school(request.user, request.POST.get("school", ""), Capability.RESPOND)
        role = access.granting_role(request.user, Capability.RESPOND, school=school) or ""
        form = RecordsRequestForm(request.POST)
        if form.is_valid():
            logged = records.log_request(request.user, role, school, form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Logged. Nothing is released until the conditions are recorded."))
            return redirect("records:detail", logged.pk)
    found = RecordsRequest.objects.filter(school__in=access.schools_with(request.user, Capability.VIEW_SCHOOL))
    context = {"requests": found.select_related("school")[:200], "form": form, "schools": schools[:50]}
    return render(request, "campus/records.html", context)


@staff_required
def records_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    found = access.get_records_request(request.user, str(request_id))
    school = found.school
    context = {
        "item": found,
        "may_consent": access.granting_role(request.user, Capability.MANAGE_SCHOOL, school=school) is not None,
        "may_decide_legal": access.granting_role(request.user, Capability.LEGAL_REVIEW, school=school) is not None,
    }
    return render(request, "campus/records_detail.html", context)


@require_POST
@staff_required
def records_condition(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    form = ConditionForm(request.POST)
    if not form.is_valid():
        raise Http404
    condition = form.cleaned_data["condition"]
    capability = Capability.MANAGE_SCHOOL if condition == "consent" else Capability.LEGAL_REVIEW
    found = access.get_records_request(request.user, str(request_id), capability)
    role = access.granting_role(request.user, capability, school=found.school) or ""
    try:
        records.record_condition(request.user, role, found, condition)  # type: ignore[arg-type]
    except records.DecidedError:
        messages.error(request, _("This request is already decided."))
    return redirect("records:detail", found.pk)


@require_POST
@staff_required
def records_decide(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    form = DecisionChoiceForm(request.POST)
    if not form.is_valid():
        raise Http404
    found = access.get_records_request(request.user, str(request_id))
    capability = (
        Capability.LEGAL_REVIEW if access.has(request.user, Capability.LEGAL_REVIEW) else Capability.MANAGE_SCHOOL
    )
    found = access.get_records_request(request.user, str(request_id), capability)
    role = access.granting_role(request.user, capability, school=found.school) or ""
    try:
        records.decide(request.user, role, found, form.cleaned_data["status"])  # type: ignore[arg-type]
    except records.ReleaseBlockedError:
        messages.error(
            request,
            _(
                "Release is blocked: record written parental consent, or legal compulsion confirmed by the legal office"
                " with the parent notified (or a court order that forbids the notice)."
            ),
        )
    except records.DecidedError:
        messages.error(request, _("This request is already decided."))
    return redirect("records:detail", found.pk)


# --- Incident PDF and the board report ---------------------------------------------------


@staff_required
@fresh_sign_in_required
def incident_pdf(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident = access.get_incident(request.user, str(incident_id))
    html = render_to_string(
        "campus/incident_pdf.html",
        {
            "incident": incident,
            "timeline": incident.timeline.select_related("by"),
            "agents": incident.agents.all(),
            "documents": _documents_for_pdf(request, incident),
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="incident-{incident.school.code}-{incident.started_at:%Y%m%d}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _documents_for_pdf(request: HttpRequest, incident: Incident) -> list[tuple[IncidentDocument, str | None]]:
    """Each document with its words for a reader of one of its offices (None for others)."""
    private_key = unlocked_private_key(request)
    found: list[tuple[IncidentDocument, str | None]] = []
    for document in incident.documents.all():
        try:
            words: str | None = documents.open_document(request.user, private_key, document).text  # type: ignore[arg-type]
        except documents.LockedError:
            words = None
        found.append((document, words))
    return found


@staff_required
def board_report(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.BOARD_REPORT)
    start, end = reports.default_period()
    form = PeriodForm({"start": request.GET.get("start", start), "end": request.GET.get("end", end)})
    rows: list[reports.SchoolRow] = []
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = reports.board_report(_district(), start, end)
    output = request.GET.get("format", "html")
    if output in ("csv", "pdf") and (confirm := confirm_first(request)):
        return confirm
    if output == "csv":
        response = HttpResponse(reports.report_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="board-report-{start}-{end}.csv"'
        return response
    context = {"form": form, "rows": rows, "start": start, "end": end, "query": f"start={start}&end={end}"}
    if output == "pdf":
        html = render_to_string("campus/board_report_pdf.html", context, request=request)
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="board-report-{start}-{end}.pdf"'
        return response
    return render(request, "campus/board_report.html", context)
