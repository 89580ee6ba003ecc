"""Staff pages for family cases: an inbox per office, and one case opened with
the reader's own key."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safezones.accounts.decorators import staff_required
from safezones.accounts.keys import unlocked_private_key
from safezones.families.forms import AssignForm, MessageForm, StatusForm
from safezones.families.models import Attachment
from safezones.families.reading import LockedError, add_message, assign, open_attachment, open_case, set_status
from safezones.schools import access
from safezones.schools.access import Capability

CONTENT_LABELS = {
    "message": gettext_lazy("Message"),
    "description": gettext_lazy("What happened"),
    "name": gettext_lazy("Name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail address"),
    "date": gettext_lazy("Date"),
}


def _role(request: HttpRequest) -> str:
    access.require(request.user, Capability.READ_FAMILY_CASES)
    return access.granting_role(request.user, Capability.READ_FAMILY_CASES) or ""


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    _role(request)
    cases = access.family_cases_for(request.user).select_related("school").order_by("status", "-received_on")
    return render(request, "families/inbox.html", {"cases": cases[:200]})


@staff_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    role = _role(request)
    case = access.get_family_case(request.user, case_id)
    context: dict[str, object] = {
        "case": case,
        "message_form": MessageForm(),
        "status_form": StatusForm(initial={"status": case.status, "closed_reason": case.closed_reason}),
        "assign_form": AssignForm(initial={"assignee": case.assigned_to_id}, people=access.case_readers(case)),
    }
    try:
        opened = open_case(request.user, role, unlocked_private_key(request), case)  # type: ignore[arg-type]
    except LockedError:
        context["locked"] = True
    else:
        context["written"] = [(CONTENT_LABELS.get(name, name), value) for name, value in opened.content.items()]
        context["messages_list"] = opened.messages
    response = render(request, "families/case_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_required
def case_message(request: HttpRequest, case_id: str) -> HttpResponse:
    role = _role(request)
    case = access.get_family_case(request.user, case_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            add_message(
                request.user,  # type: ignore[arg-type]
                role,
                unlocked_private_key(request),
                case,
                text=form.cleaned_data["text"],
                internal=form.cleaned_data["internal"],
            )
        except LockedError:
            messages.error(request, _("Sign in again to write on this case."))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write a message of at most 5,000 characters."))
    return redirect("cases:detail", case_id=case.pk)


@staff_required
def case_attachment(request: HttpRequest, case_id: str, name: str) -> HttpResponse:
    role = _role(request)
    case = access.get_family_case(request.user, case_id)
    attachment = get_object_or_404(Attachment, case=case, stored_name=name)
    try:
        content = open_attachment(request.user, role, unlocked_private_key(request), case, attachment)  # type: ignore[arg-type]
    except LockedError:
        raise Http404 from None
    response = HttpResponse(content, content_type=attachment.content_type)
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[attachment.content_type]
    response["Content-Disposition"] = f'attachment; filename="attachment-{attachment.pk}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_required
def case_assign(request: HttpRequest, case_id: str) -> HttpResponse:
    role = _role(request)
    case = access.get_family_case(request.user, case_id)
    form = AssignForm(request.POST, people=access.case_readers(case))
    if form.is_valid():
        assign(request.user, role, case, form.cleaned_data["assignee"])  # type: ignore[arg-type]
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose someone who may read this case."))
    return redirect("cases:detail", case_id=case.pk)


@require_POST
@staff_required
def case_status(request: HttpRequest, case_id: str) -> HttpResponse:
    role = _role(request)
    case = access.get_family_case(request.user, case_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        set_status(request.user, role, case, data["status"], data["closed_reason"])  # type: ignore[arg-type]
        messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Say why the case is closed."))
    return redirect("cases:detail", case_id=case.pk)
