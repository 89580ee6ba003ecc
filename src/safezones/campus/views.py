"""The staff flow on a phone: one button opens an incident, then the steps of
the protocol for the person's role, with scripts, checklists, quick capture
of agents and documents, and the timeline. Every form carries a key chosen
when the page was drawn, so a form sent twice (or again after the phone was
offline) is recorded once."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safezones.accounts.decorators import staff_required
from safezones.accounts.keys import unlocked_private_key
from safezones.audit.actions import record
from safezones.campus import actions, alerts, documents, notices
from safezones.campus.doccheck import DocumentError, check_text, read_document
from safezones.campus.doccheck.district import district_today
from safezones.campus.doccheck.guided import Answers, check_answers
from safezones.campus.doccheck.intake import require_text
from safezones.campus.forms import (
    AgentForm,
    DecisionForm,
    DocumentForm,
    EntryForm,
    FollowUpForm,
    GuidedForm,
    StartForm,
    StatusForm,
)
from safezones.campus.models import Incident, IncidentDocument, IncidentStatus
from safezones.campus.protocol import in_language
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.schools.models import Role

# Which part of the protocol each role follows first.
ROLE_PART: dict[str, str] = {
    Role.SITE_STAFF: "front_office",
    Role.SITE_ADMIN: "site_admin",
    Role.AREA_OFFICE: "area_office",
    Role.DISTRICT_OFFICE: "area_office",
    Role.LEGAL_OFFICE: "legal_office",
}
PHOTO_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"%PDF": "application/pdf"}


@staff_required
def incident_home(request: HttpRequest) -> HttpResponse:
    """The big buttons, and the incidents in the person's scope."""
    access.require(request.user, Capability.VIEW_SCHOOL)
    schools = access.schools_with(request.user, Capability.RESPOND)
    context = {
        "schools": schools[:50] if schools.count() <= 3 else [],
        "many_schools": schools.count() > 3,
        "incidents": access.incidents_for(request.user).select_related("school")[:100],
        "new_key": uuid.uuid4,
    }
    return render(request, "campus/incident_home.html", context)


@require_POST
@staff_required
def start(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.RESPOND)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The incident could not be started. Try again."))
        return redirect("incidents:home")
    school = access.get_school(request.user, form.cleaned_data["school"], Capability.RESPOND)
    role = access.granting_role(request.user, Capability.RESPOND, school=school) or ""
    incident, _created = actions.start_incident(
        request.user,  # type: ignore[arg-type]
        role,
        school,
        form.cleaned_data["kind"],
        drill=form.cleaned_data["drill"],
        client_key=form.cleaned_data["client_key"],
    )
    return redirect("incidents:detail", incident.pk)


@staff_required
def detail(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident = access.get_incident(request.user, str(incident_id))
    return render(request, "campus/incident.html", _context(request, incident))


def _context(request: HttpRequest, incident: Incident, **forms: Any) -> dict[str, Any]:
    language = get_language() or "en"
    content = incident.protocol.content
    role = access.granting_role(request.user, Capability.VIEW_SCHOOL, school=incident.school) or ""
    part = request.GET.get("part") or ROLE_PART.get(role, "front_office")
    ticked = {(entry.data.get("step"), entry.data.get("item")) for entry in incident.timeline.filter(kind="checked")}
    steps = []
    for section in content.get("roles", []):
        if section["role"] != part:
            continue
        for step in section["steps"]:
            steps.append(_step(step, language, ticked))
    may_respond = access.granting_role(request.user, Capability.RESPOND, school=incident.school) is not None
    return {
        "incident": incident,
        "parts": [section["role"] for section in content.get("roles", [])],
        "part": part,
        "steps": steps,
        "title": in_language(content.get("title", {}), language),
        "summary": in_language(content.get("summary", {}), language),
        "emergency": {key: in_language(value, language) for key, value in content.get("emergency", {}).items()},
        "reference": content.get("reference", ""),
        "timeline": incident.timeline.select_related("by"),
        "agents": incident.agents.all(),
        "documents": incident.documents.all(),
        "may_open_documents": bool(access.offices_of(request.user).exists()),
        "notices": incident.notices.all(),
        "open": incident.status != IncidentStatus.CLOSED,
        "may_respond": may_respond,
        # Whoever raised the alert cannot also be the one who answers it.
        "may_acknowledge": may_respond and incident.started_by_id != request.user.pk,
        "may_decide": access.granting_role(request.user, Capability.LEGAL_REVIEW, school=incident.school) is not None,
        "entry_form": EntryForm(initial={"kind": "note"}),
        "follow_up_form": FollowUpForm(initial={"kind": "follow_up"}),
        "decision_form": DecisionForm(initial={"kind": "legal_decision"}),
        "agent_form": forms.get("agent_form") or AgentForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "guided_form": forms.get("guided_form") or GuidedForm(),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": "closed"}),
        "new_key": uuid.uuid4,
    }


def _step(step: dict[str, Any], language: str, ticked: set[tuple[Any, Any]]) -> dict[str, Any]:
    say = step.get("say") or {}
    return {
        "key": step["key"],
        "title": in_language(step["title"], language),
        "say_en": say.get("en", ""),
        "say_here": in_language(say, language) if say and not language.startswith("en") else "",
        "do": in_language(step.get("do") or {}, language),
        "capture": step.get("capture", ""),
        "checklist": [
            {
                "key": item["key"],
                "text": in_language(item["text"], language),
                "done": (step["key"], item["key"]) in ticked,
            }
            for item in step["checklist"]
        ],
    }


def _responder(
    request: HttpRequest, incident_id: uuid.UUID, capability: Capability = Capability.RESPOND
) -> tuple[Incident, str]:
    incident = access.get_incident(request.user, str(incident_id), capability)
    return incident, access.granting_role(request.user, capability, school=incident.school) or ""


def _back(incident: Incident, request: HttpRequest, anchor: str = "") -> HttpResponse:
    part = request.POST.get("part", "")
    query = f"?part={part}" if part.replace("_", "").isalpha() else ""
    return redirect(f"/staff/incidents/{incident.pk}/{query}{anchor}")


@require_POST
@staff_required
def add_entry(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    kind = request.POST.get("kind")
    capability = Capability.LEGAL_REVIEW if kind == "legal_decision" else Capability.RESPOND
    incident, role = _responder(request, incident_id, capability)
    form = {"follow_up": FollowUpForm, "legal_decision": DecisionForm}.get(kind or "", EntryForm)(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return _back(incident, request)
    data = form.cleaned_data
    extra = {"step": data["step"], "item": data["item"]} if data["kind"] == "checked" else {}
    try:
        actions.add_entry(
            request.user,  # type: ignore[arg-type]
            role,
            incident,
            data["kind"],
            text=data.get("text") or "",
            data=extra,
            client_key=data["client_key"],
            noted_at=data.get("noted_at"),
        )
    except actions.IncidentClosedError:
        messages.error(request, _("This incident is closed; nothing more can be added."))
    return _back(incident, request, f"#step-{data['step']}" if data["step"] else "#timeline")


@require_POST
@staff_required
def add_agent(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, role = _responder(request, incident_id)
    form = AgentForm(request.POST)
    if not form.is_valid():
        return render(request, "campus/incident.html", _context(request, incident, agent_form=form), status=422)
    fields = {name: form.cleaned_data.get(name) for name in AgentForm.Meta.fields}
    try:
        actions.record_agent(request.user, role, incident, fields, form.cleaned_data["client_key"])  # type: ignore[arg-type]
    except actions.IncidentClosedError:
        messages.error(request, _("This incident is closed; nothing more can be added."))
    else:
        messages.success(request, _("Agent recorded."))
    return _back(incident, request, "#agents")


@require_POST
@staff_required
def add_document(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, role = _responder(request, incident_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "campus/incident.html", _context(request, incident, document_form=form), status=422)
    language = "es" if (get_language() or "en").startswith("es") else "en"
    photo = form.cleaned_data.get("photo")
    try:
        data = photo.read() if photo else b""
        text = read_document(data) if photo else require_text(form.cleaned_data["text"])
    except DocumentError as refusal:
        form.add_error(None, refusal.in_language(language))
        return render(request, "campus/incident.html", _context(request, incident, document_form=form), status=422)
    result = check_text(text, language, incident.school.name, district_today()).to_json()
    try:
        actions.record_document(
            request.user,  # type: ignore[arg-type]
            role,
            incident,
            text,
            result,
            photo=data,
            client_key=form.cleaned_data["client_key"],
        )
    except actions.IncidentClosedError:
        messages.error(request, _("This incident is closed; nothing more can be added."))
    return _back(incident, request, "#documents")


@require_POST
@staff_required
def add_guided_document(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    """A document described by answers to the guided questions instead of its words."""
    incident, role = _responder(request, incident_id)
    form = GuidedForm(request.POST)
    if not form.is_valid():
        return render(request, "campus/incident.html", _context(request, incident, guided_form=form), status=422)
    data = form.cleaned_data
    answers = Answers(data["title"], data["issuer"], data["judge_signed"], data["names_court"])
    language = "es" if (get_language() or "en").startswith("es") else "en"
    result = {**check_answers(answers, language).to_json(), "answers": vars(answers)}
    try:
        actions.record_document(
            request.user,  # type: ignore[arg-type]
            role,
            incident,
            "",
            result,
            client_key=data["client_key"],
        )
    except actions.IncidentClosedError:
        messages.error(request, _("This incident is closed; nothing more can be added."))
    return _back(incident, request, "#documents")


@require_POST
@staff_required
def change_status(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, role = _responder(request, incident_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "campus/incident.html", _context(request, incident, status_form=form), status=422)
    try:
        actions.set_status(request.user, role, incident, form.cleaned_data["status"], form.cleaned_data["outcome"])  # type: ignore[arg-type]
    except actions.IncidentClosedError:
        messages.error(request, _("This incident is closed; nothing more can be added."))
    return _back(incident, request)


@require_POST
@staff_required
def acknowledge(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, role = _responder(request, incident_id)
    if incident.started_by_id == request.user.pk:
        raise PermissionDenied
    if alerts.acknowledge(request.user, role, incident):  # type: ignore[arg-type]
        messages.success(request, _("Acknowledged. The alert stops here."))
    return _back(incident, request)


@require_POST
@staff_required
def student_sought(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, role = _responder(request, incident_id)
    actions.mark_student_sought(request.user, role, incident)  # type: ignore[arg-type]
    return _back(incident, request)


@require_POST
@staff_required
def request_notice(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident, role = _responder(request, incident_id, Capability.MANAGE_SCHOOL)
    kind = request.POST.get("kind", "")
    if kind not in ("agents_present", "agents_departed"):
        raise PermissionDenied
    try:
        notices.request_notice(request.user, role, incident, kind)  # type: ignore[arg-type]
    except notices.NoticeNotAllowedError:
        messages.error(request, _("Drills and sightings near a school are never sent to families."))
    else:
        messages.success(request, _("Sent to the district office for approval."))
    return _back(incident, request)


@staff_required
def document_words(request: HttpRequest, incident_id: uuid.UUID, document_id: int) -> HttpResponse:
    """A document's own words, for the offices it is sealed to."""
    incident = access.get_incident(request.user, str(incident_id))
    document = _sealed_document(request, incident, document_id)
    try:
        opened = documents.open_document(request.user, unlocked_private_key(request), document)  # type: ignore[arg-type]
    except documents.LockedError:
        return render(request, "campus/document.html", {"incident": incident, "document": document, "locked": True})
    role = access.granting_role(request.user, Capability.VIEW_SCHOOL, school=incident.school) or ""
    record(request.user, "incident.document_read", incident, role=role, school_code=incident.school.code)  # type: ignore[arg-type]
    context = {"incident": incident, "document": document, "opened": opened}
    response = render(request, "campus/document.html", context)
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def document_photo(request: HttpRequest, incident_id: uuid.UUID, document_id: int) -> HttpResponse:
    incident = access.get_incident(request.user, str(incident_id))
    document = _sealed_document(request, incident, document_id)
    if not document.photo:
        raise Http404
    try:
        data = documents.open_photo(request.user, unlocked_private_key(request), document)  # type: ignore[arg-type]
    except documents.LockedError:
        raise PermissionDenied from None
    content_type = next(
        (kind for magic, kind in PHOTO_TYPES.items() if data.startswith(magic)), "application/octet-stream"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = "inline"
    return response


def _sealed_document(request: HttpRequest, incident: Incident, document_id: int) -> IncidentDocument:
    document = incident.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    if not documents.may_open(request.user, document):  # type: ignore[arg-type]
        raise PermissionDenied
    return document


def acknowledge_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """The one-tap link in an alert: no sign-in, the token is the permission.
    A GET only shows the button, so a mail scanner opening links acknowledges nothing."""
    alert = alerts.alert_for_token(token)
    if alert is None:
        return render(request, "campus/acknowledge.html", {"unknown": True}, status=404)
    done = False
    if request.method == "POST":
        alerts.acknowledge_by_token(alert)
        done = True
    incident = alert.incident
    response = render(
        request,
        "campus/acknowledge.html",
        {"incident": incident, "done": done or incident.acknowledged_at is not None},
    )
    response["Cache-Control"] = "no-store"
    return response
