"""The family pages: ask for help, report a problem, follow up with a receipt.

No account, no JavaScript needed, nothing kept in the browser's cache, and
the receipt never appears in a URL. Every answer about a receipt is the same when it is wrong.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from safezones.families.actions import (
    RetryExpiredError,
    Submission,
    add_family_message,
    family_view,
    file_case,
    submission_window,
)
from safezones.families.blank_forms import blank_fields
from safezones.families.directory import find_resources, workshops_calendar
from safezones.families.models import FamilyCase
from safezones.families.public_forms import (
    FamilyMessageForm,
    LetterForm,
    ReceiptForm,
    ReportForm,
    RequestForm,
    ResourceFilterForm,
)
from safezones.lib import ratelimit
from safezones.lib.pdf import html_to_pdf
from safezones.pagecache import public_page
from safezones.schools.models import School
from safezones.schools.queries import current_district

SENSITIVE = ("message", "name", "phone", "email", "description", "receipt", "text", "retry_token")


@public_page
def help_home(request: HttpRequest) -> HttpResponse:
    return render(request, "families/public/home.html")


@public_page
def resources(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = find_resources(filters.get("kind", ""), filters.get("language", ""), filters.get("area", ""))
    return render(request, "families/public/resources.html", {"form": form, "resources": found[:200]})


def workshops_ics(request: HttpRequest) -> HttpResponse:
    district = current_district()
    calendar = workshops_calendar(district.name if district else "Safe Zones")
    return HttpResponse(calendar, content_type="text/calendar; charset=utf-8")


@public_page
def letter(request: HttpRequest) -> HttpResponse:
    """A letter to the school, in the family's language, citing the policy."""
    form = LetterForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = School.objects.select_related("area__district").get(code=data["school"])
        with translation.override(data["language"]):
            questions = [str(label) for value, label in LetterForm.QUESTIONS if value in data["questions"]]
            context: dict[str, Any] = {
                "school": school,
                "questions": questions,
                "policy": school.area.district.policy_reference,
            }
            text = render_to_string("families/public/letter.txt", context)
            if "pdf" in request.POST:
                return _letter_pdf(text, school, data["language"])
            request_form = RequestForm(
                initial={"school": school.code, "language": data["language"], "needs": ["other"], "message": text}
            )
            chosen = {"school": school.code, "language": data["language"], "questions": data["questions"]}
            return render(
                request,
                "families/public/letter.html",
                {**context, "text": text, "request_form": request_form, "chosen": chosen},
            )
    return render(request, "families/public/letter_form.html", _with_fields(form, "letter"))


def _letter_pdf(text: str, school: School, language: str) -> HttpResponse:
    """The same letter as a PDF, drawn on the server in the letter's language
    and sent straight back: nothing about it is kept."""
    html = render_to_string("families/public/letter_pdf.html", {"text": text, "language": language})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{school.code.lower()}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    district = current_district()
    days = district.retention_days if district else 90
    return render(request, "families/public/privacy.html", {"retention_days": days})


@public_page
@sensitive_post_parameters(*SENSITIVE)
def request_help(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = {"message": data["message"], **{k: data[k] for k in ("name", "phone", "email") if data[k]}}
        submission = Submission(
            kind=FamilyCase.Kind.REQUEST,
            school=School.objects.select_related("area__district").get(code=data["school"]),
            language=data["language"],
            content=content,
            needs=list(data["needs"]),
            contact=data["contact"],
            idempotency_key=data["retry_token"],
            counted=_submission_window(request),
        )
        if (answer := _file_and_show_receipt(request, form, submission)) is not None:
            return answer
    return render(request, "families/public/request.html", _with_fields(form, "request"))


@public_page
@sensitive_post_parameters(*SENSITIVE)
def report_problem(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content: dict[str, Any] = {"description": data["description"]}
        if data["date"]:
            content["date"] = data["date"].isoformat()
        submission = Submission(
            kind=FamilyCase.Kind.REPORT,
            school=School.objects.select_related("area__district").get(code=data["school"]),
            language=data["language"],
            content=content,
            report_kind=data["kind"],
            idempotency_key=data["retry_token"],
            counted=_submission_window(request),
            attachments=tuple(data["attachments"]),
        )
        if (answer := _file_and_show_receipt(request, form, submission)) is not None:
            return answer
    return render(request, "families/public/report.html", _with_fields(form, "report"))


@public_page
@sensitive_post_parameters(*SENSITIVE)
def follow_up(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        if not _lookup_allowed(request):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        elif (view := family_view(form.cleaned_data["receipt"])) is None:
            form.add_error("receipt", _("No case matches this receipt. Check the numbers and try again."))
        else:
            context.update(view=view, reply_form=FamilyMessageForm(initial={"receipt": form.cleaned_data["receipt"]}))
    return render(request, "families/public/follow_up.html", context)


@sensitive_post_parameters(*SENSITIVE)
def family_message(request: HttpRequest) -> HttpResponse:
    form = FamilyMessageForm(request.POST or None)
    context: dict[str, Any] = {"form": ReceiptForm()}
    if request.method == "POST" and form.is_valid():
        receipt = form.cleaned_data["receipt"]
        if _lookup_allowed(request) and add_family_message(receipt, form.cleaned_data["text"]):
            context.update(
                view=family_view(receipt), reply_form=FamilyMessageForm(initial={"receipt": receipt}), sent=True
            )
        else:
            context["form"] = ReceiptForm(initial={"receipt": ""})
            context["not_sent"] = True
    return render(request, "families/public/follow_up.html", context)


def _file_and_show_receipt(request: HttpRequest, form: Any, submission: Submission) -> HttpResponse | None:
    """File the case and show its receipt once; None (with the form's error
    set) when this page was sent before and its receipt can no longer be shown."""
    try:
        filed = file_case(submission)
    except RetryExpiredError:
        form.add_error(None, _("This was already received; its receipt was shown then and cannot be shown again."))
        return None
    except ratelimit.TooManyAttemptsError:
        form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        return None
    return render(request, "families/public/receipt.html", {"receipt": filed.receipt})


def _lookup_allowed(request: HttpRequest) -> bool:
    client = ratelimit.client_identity(request)
    return ratelimit.allow("family-lookup", client, settings.RECEIPT_LOOKUPS_PER_MINUTE, 60)


def _submission_window(request: HttpRequest) -> ratelimit.Window:
    return submission_window(ratelimit.client_identity(request))  # file_case counts, and refuses a full one


def _with_fields(form: Any, name: str) -> dict[str, Any]:
    """The context of a form page: a blank form's fields come ready-made."""
    return {"form": form, "fields": None if form.is_bound else blank_fields(form, name)}
