"""Staff pages for vendor review: contracts in, screening, findings to review,
vendor profiles with the contract-terms checklist, and the board report."""

import csv
import io
from typing import TYPE_CHECKING

import yaml
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safezones.accounts.decorators import staff_required
from safezones.accounts.reauth import fresh_sign_in_required
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.vendors import actions, queries
from safezones.vendors.contracts import ContractFileError, guess_mapping, parse_contracts, read_table
from safezones.vendors.forms import (
    AwardFileForm,
    ContractFileForm,
    DecisionForm,
    EvidenceFileForm,
    MappingForm,
    TermsForm,
    VendorForm,
)
from safezones.vendors.models import ColumnMapping, Finding, Vendor
from safezones.vendors.report import report_csv, report_pdf
from safezones.vendors.screening import DEFAULT_AGENCIES, AwardFileError, read_awards
from safezones.vendors.screening.tables import TableError, evidence_problems, read_evidence, write_ftm
from safezones.vendors.terms import TERMS

if TYPE_CHECKING:
    from safezones.accounts.models import User

MAPPING_NAME = "contracts"


def _role(request: HttpRequest, capability: Capability) -> str:
    access.require(request.user, capability)
    return access.granting_role(request.user, capability) or ""


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_FINDINGS)
    today = timezone.localdate()
    context = {
        "may_review": access.has(request.user, Capability.REVIEW_VENDORS),
        "counts": {s: queries.findings_to_review(s).count() for s in Finding.Status.values},
        "vendors": Vendor.objects.count(),
        "renewals": queries.renewal_watch(today),
    }
    return render(request, "vendors/index.html", context)


def _too_large(request: HttpRequest) -> bool:
    """Uploads stay in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE; a bigger one never arrives."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    except ValueError:
        return False


def _too_large_message(command: str) -> str:
    limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _(
        "The file is larger than %(limit)s MB, too large for the browser. "
        "Ask the server's administrator to load it with “%(command)s”."
    ) % {"limit": limit, "command": command}


@staff_required
def import_contracts(request: HttpRequest) -> HttpResponse:  # noqa: PLR0911 - one answer per step
    """Upload, confirm the column mapping once (the district reuses it), import.
    A file with errors changes nothing unless the user chose the good rows only.
    Between the steps the file waits on the server, encrypted under a key only
    this form carries (`upload`), so it is never chosen twice."""
    role = _role(request, Capability.REVIEW_VENDORS)
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and _too_large(request):
        limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        error = _(
            "The file is larger than %(limit)s MB. Split it into smaller files and import them one after another."
        ) % {"limit": limit}
        return render(request, "vendors/import.html", {"form": ContractFileForm(), "file_error": error}, status=413)
    form = ContractFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "vendors/import.html", {"form": form})
    token = request.POST.get("upload", "")[:200]
    chosen = form.cleaned_data["file"]
    kept = actions.kept_upload(user, token) if token and chosen is None else None
    if chosen is not None:
        name, data, token = chosen.name or "contracts.csv", chosen.read(), ""
    elif kept is not None:
        name, data = kept
    else:
        message = _("The file chosen earlier has expired; choose it again.") if token else _("Choose a file.")
        form.add_error("file", message)
        return render(request, "vendors/import.html", {"form": form}, status=422)
    try:
        header, rows = read_table(data, name)
    except ContractFileError as error:
        return render(request, "vendors/import.html", {"form": form, "file_error": str(error)}, status=422)
    context: dict[str, object] = {"form": ContractFileForm(), "file_name": name}
    mapping = _mapping(request, header)
    if mapping is None:
        saved = ColumnMapping.objects.filter(name=MAPPING_NAME).first()
        guess = {k: v for k, v in (saved.columns if saved else {}).items() if v in header} or guess_mapping(header)
        context["mapping_form"] = MappingForm(initial={f"map_{k}": v for k, v in guess.items()}, header=header)
        context["upload_token"] = token or actions.keep_upload(user, name, data)
        return render(request, "vendors/import.html", context)
    parsed = parse_contracts(header, rows, mapping)
    if parsed.errors and not (form.cleaned_data["good_rows_only"] and parsed.rows):
        context["mapping_form"] = MappingForm(initial={f"map_{k}": v for k, v in mapping.items()}, header=header)
        context["errors"] = parsed.errors
        context["upload_token"] = token or actions.keep_upload(user, name, data)
        return render(request, "vendors/import.html", context, status=422)
    actions.save_mapping(user, role, MAPPING_NAME, mapping)
    summary = actions.import_contracts(user, role, parsed.rows, [line for line, _r in parsed.errors])
    if token:
        actions.drop_upload(user, token)
    messages.success(
        request,
        _("%(created)s contracts added, %(updated)s updated, %(skipped)s rows left out.")
        % {"created": summary.created, "updated": summary.updated, "skipped": len(summary.skipped_lines)},
    )
    return redirect("vendors:index")


def _awards_page(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    context["limit_mb"] = settings.FILE_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return render(request, "vendors/upload_awards.html", context, status=status)


@staff_required
def upload_awards(request: HttpRequest) -> HttpResponse:
    """Federal award data from the browser, read as a stream like `safezones load-awards`."""
    role = _role(request, Capability.REVIEW_VENDORS)
    if request.method == "POST" and _too_large(request):
        context = {"form": AwardFileForm(), "file_error": _too_large_message("safezones load-awards FILE")}
        return _awards_page(request, context, 413)
    form = AwardFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _awards_page(request, {"form": form})
    upload = form.cleaned_data["file"]
    name = upload.name or "awards.csv"
    lines = io.TextIOWrapper(upload.file, encoding="utf-8-sig", errors="replace", newline="")
    try:
        count = actions.load_awards(request.user, role, read_awards(lines, DEFAULT_AGENCIES, name), source=name)  # type: ignore[arg-type]
    except (AwardFileError, csv.Error) as error:
        context = {"form": form, "file_error": _("Nothing was loaded: %(error)s") % {"error": error}}
        return _awards_page(request, context, 422)
    messages.success(request, _("%(count)s award rows loaded from %(name)s.") % {"count": count, "name": name})
    return redirect("vendors:index")


@staff_required
def upload_evidence(request: HttpRequest) -> HttpResponse:
    """Curated evidence from the browser, checked whole like `safezones screen --evidence`."""
    role = _role(request, Capability.REVIEW_VENDORS)
    if request.method == "POST" and _too_large(request):
        context = {"form": EvidenceFileForm(), "file_error": _too_large_message("safezones screen --evidence")}
        return render(request, "vendors/upload_evidence.html", context, status=413)
    form = EvidenceFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "vendors/upload_evidence.html", {"form": form})
    upload = form.cleaned_data["file"]
    name = (upload.name or "").lower()
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        rows = read_evidence(text, yaml_file=name.endswith((".yaml", ".yml")))
    except (TableError, ValueError, AttributeError, yaml.YAMLError, csv.Error):
        context = {"form": form, "file_error": _("The file is not readable CSV or YAML evidence.")}
        return render(request, "vendors/upload_evidence.html", context, status=422)
    errors = [(line, "; ".join(problems)) for line, row in rows if (problems := evidence_problems(row))]
    if errors or not rows:
        context = {"form": form, "errors": errors, "file_error": "" if rows else _("The file has no evidence rows.")}
        return render(request, "vendors/upload_evidence.html", context, status=422)
    count = actions.add_evidence(request.user, role, [row for _line, row in rows])  # type: ignore[arg-type]
    messages.success(request, _("%(count)s evidence rows saved.") % {"count": count})
    return redirect("vendors:index")


def _mapping(request: HttpRequest, header: list[str]) -> dict[str, str] | None:
    """The mapping the user confirmed on this form, or the district's saved one
    when every column it names is in the file; None when it must be confirmed."""
    if "map_number" in request.POST:
        form = MappingForm(request.POST, header=header)
        return form.mapping() if form.is_valid() else None
    saved = ColumnMapping.objects.filter(name=MAPPING_NAME).first()
    if saved is not None and saved.columns and set(saved.columns.values()) <= set(header):
        return dict(saved.columns)
    return None


@require_POST
@staff_required
def screen(request: HttpRequest) -> HttpResponse:
    role = _role(request, Capability.REVIEW_VENDORS)
    summary = actions.run_screening(request.user, role)  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(vendors)s vendors screened: %(findings)s findings, %(new)s new, %(reopened)s reopened.")
        % {"vendors": summary.vendors, "findings": summary.findings, "new": summary.new, "reopened": summary.reopened},
    )
    return redirect("vendors:findings")


@staff_required
def findings(request: HttpRequest) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_FINDINGS)
    status = request.GET.get("status", "")
    status = status if status in Finding.Status.values else ""
    rows = queries.findings_to_review(status)[:500]
    return render(
        request, "vendors/findings.html", {"findings": rows, "status": status, "statuses": Finding.Status.choices}
    )


@staff_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_FINDINGS)
    finding = get_object_or_404(Finding.objects.select_related("vendor", "decided_by"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        role = _role(request, Capability.REVIEW_VENDORS)
        if form.is_valid():
            actions.decide_finding(request.user, role, finding, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Saved."))
            return redirect("vendors:finding", pk=finding.pk)
    context = {"finding": finding, "form": form, "may_review": access.has(request.user, Capability.REVIEW_VENDORS)}
    return render(request, "vendors/finding_detail.html", context, status=422 if form.errors else 200)


@staff_required
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_FINDINGS)
    vendor = get_object_or_404(Vendor, pk=pk)
    present = set(vendor.terms.filter(present=True).values_list("code", flat=True))
    profile = VendorForm(
        initial={
            "student_data": vendor.student_data, "parent_name": vendor.parent_name, "uei": vendor.uei,
            "duns": vendor.duns, "cage": vendor.cage, "ein": vendor.ein, "subprocessors": vendor.subprocessors.all(),
        }
    )  # fmt: skip
    terms = TermsForm(initial={"compliant": bool(vendor.compliant_on), **{f"term_{c}": True for c in present}})
    if request.method == "POST":
        role = _role(request, Capability.REVIEW_VENDORS)
        if "student_data" in request.POST:
            profile = VendorForm(request.POST)
            if profile.is_valid():
                actions.set_vendor_profile(request.user, role, vendor, **profile.cleaned_data)  # type: ignore[arg-type]
                messages.success(request, _("Saved."))
                return redirect("vendors:vendor", pk=vendor.pk)
        else:
            terms = TermsForm(request.POST)
            if terms.is_valid():
                try:
                    actions.set_contract_terms(
                        request.user,  # type: ignore[arg-type]
                        role,
                        vendor,
                        terms.present(),
                        compliant=terms.cleaned_data["compliant"],
                    )
                except actions.NotCompliantError as error:
                    missing = "; ".join(str(TERMS[code]) for code in error.missing)
                    terms.add_error("compliant", _("These terms are missing: %(terms)s") % {"terms": missing})
                else:
                    messages.success(request, _("Saved."))
                    return redirect("vendors:vendor", pk=vendor.pk)
    context = {
        "vendor": vendor,
        "profile": profile,
        "terms": terms,
        "findings": vendor.findings.filter(current=True),
        "contracts": vendor.contracts.all(),
        "may_review": access.has(request.user, Capability.REVIEW_VENDORS),
    }
    status = 422 if profile.errors or terms.errors else 200
    return render(request, "vendors/vendor_detail.html", context, status=status)


def _report_context(request: HttpRequest) -> dict[str, object]:
    today = timezone.localdate()
    return {"lines": queries.board_report(today), "today": today}


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_REPORT)
    return render(request, "vendors/report.html", _report_context(request))


@staff_required
@fresh_sign_in_required
def report_csv_view(request: HttpRequest) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_REPORT)
    response = HttpResponse(
        report_csv(queries.board_report(timezone.localdate())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="vendor-review-board-report.csv"'
    return response


@staff_required
@fresh_sign_in_required
def report_pdf_view(request: HttpRequest) -> HttpResponse:
    _role(request, Capability.VIEW_VENDOR_REPORT)
    html = render_to_string("vendors/report_print.html", _report_context(request), request=request)
    response = HttpResponse(report_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="vendor-review-board-report.pdf"'
    return response


@staff_required
@fresh_sign_in_required
def export_ftm(request: HttpRequest) -> HttpResponse:
    """Confirmed and open findings as FollowTheMoney entities, one JSON object a line."""
    _role(request, Capability.VIEW_VENDOR_FINDINGS)
    from io import StringIO

    from safezones.vendors.ftm import stored_findings

    out = StringIO()
    write_ftm(stored_findings(), out)
    response = HttpResponse(out.getvalue(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vendor-findings.ftm.jsonl"'
    return response
