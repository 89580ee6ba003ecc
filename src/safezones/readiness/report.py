"""The figures behind the dashboards and the board's annual report, and their
CSV and PDF forms. Only school-level figures: no person is named."""

import csv
from datetime import date
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from safezones.lib.pdf import html_to_pdf
from safezones.readiness import charts, sources
from safezones.readiness.checklist import district_today, school_year_start
from safezones.readiness.queries import (
    SchoolReadiness,
    current_checklist,
    distribution,
    readiness_of,
    score_trend,
)
from safezones.schools.models import District, School

TABLES = ("schools", "distribution", "trend")


def _readiness(schools: QuerySet[School], district: District) -> tuple[list[SchoolReadiness], date, date]:
    today = district_today(district)
    since = school_year_start(today, current_checklist(district).starts_month)
    rows = sorted(
        readiness_of(schools, district, today, with_evidence=False), key=lambda row: (row.score, row.school.code)
    )
    return rows, today, since


def dashboard_context(
    schools: QuerySet[School], district: District, *, title: str, can_open_schools: bool = False
) -> dict[str, Any]:
    rows, today, since = _readiness(schools, district)
    threshold = rows[0].threshold if rows else current_checklist(district).checklist.threshold_percent
    bands = distribution(rows)
    trend = score_trend(schools, since, school_ids=[row.school.pk for row in rows])
    return {
        "title": title,
        "today": today,
        "since": since,
        "rows": rows,
        "threshold": threshold,
        "below": [row for row in rows if row.below_threshold],
        "average": round(sum(row.score for row in rows) / len(rows)) if rows else None,
        "overdue_items": sum(len(row.overdue) for row in rows),
        "awaiting": sum(row.awaiting_verification for row in rows),
        "bands": bands,
        "bands_chart": charts.bar_chart(_("Schools by readiness score"), bands, highlight_below=threshold),
        "trend": trend,
        "trend_chart": charts.line_chart(_("Average readiness score this school year"), trend, threshold),
        "campus_ready": sources.campus_is_ready(),
        "can_open_schools": can_open_schools,
        "school_rows": school_rows(rows, can_open_schools=can_open_schools),
    }


def school_rows(rows: list[SchoolReadiness], *, can_open_schools: bool) -> SafeString:
    """The dashboard table's rows. Drawn here rather than in the template: a
    template spends about a quarter of a millisecond on each row, and a large
    district has a thousand. Every text is escaped; the rest are numbers."""
    if not rows:
        return mark_safe(f'<tr><td colspan="7">{escape(_("No schools yet."))}</td></tr>')  # noqa: S308 - escaped
    campus = sources.campus_is_ready()
    below = f' <strong class="error">{escape(_("below threshold"))}</strong>'
    link = reverse("readiness:school", args=["-"]).removesuffix("-/")
    lines = []
    for row in rows:
        school, training, cases = row.school, row.training, row.cases
        name: str = escape(school.name)
        if can_open_schools:
            name = f'<a href="{escape(link + quote(school.code, safe="!$&'()*+,;=~:@"))}/">{name}</a>'
        trained = f"{training.trained} / {training.staff}" if training.staff else "—"
        cells = [
            f'<th scope="row">{name} <span class="code">{escape(school.code)}</span></th>',
            f"<td>{row.score}%{below if row.below_threshold else ''}</td>",
            f"<td>{len(row.overdue)}</td><td>{len(row.expiring)}</td><td>{row.awaiting_verification}</td>",
            f"<td>{trained}</td><td>{cases.open} ({cases.overdue})</td>",
        ]
        if campus and row.incidents is not None and row.records_requests is not None:
            cells.append(f"<td>{row.incidents.open} ({row.incidents.overdue})</td>")
            cells.append(f"<td>{row.records_requests.open} ({row.records_requests.overdue})</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every text above is escaped


def annual_context(schools: QuerySet[School], district: District) -> dict[str, Any]:
    context = dashboard_context(schools, district, title=_("Annual readiness report"))
    rows: list[SchoolReadiness] = context["rows"]
    items: dict[str, list[Any]] = {}
    for row in rows:
        for status in row.items:
            entry = items.setdefault(status.item.key, [status.item.title, 0])
            entry[1] += status.met
    context["items"] = [(title, met, round(100 * met / len(rows)) if rows else 0) for title, met in items.values()]
    staff = sum(row.training.staff for row in rows)
    trained = sum(row.training.trained for row in rows)
    context.update(district=district, staff=staff, trained=trained, generated=timezone.now())
    context["trained_percent"] = round(100 * trained / staff) if staff else None
    return context


def csv_response(table: str, schools: QuerySet[School], district: District) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="readiness-{table}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    rows, _today, since = _readiness(schools, district)
    if table == "distribution":
        writer.writerow(["score", "schools"])
        writer.writerows(distribution(rows))
    elif table == "trend":
        writer.writerow(["date", "average_score"])
        writer.writerows((day.isoformat(), score) for day, score in score_trend(schools, since))
    else:
        _write_schools(writer, rows)
    return response


def _write_schools(writer: Any, rows: list[SchoolReadiness]) -> None:
    campus = sources.campus_is_ready()
    header = ["school", "name", "area", "score", "items_met", "items", "below_threshold", "missing_or_expired"]
    header += ["expiring_30_days", "awaiting_verification", "staff", "staff_trained", "open_family_cases"]
    header += ["overdue_family_cases"]
    if campus:
        header += ["open_incidents", "overdue_incidents", "open_records_requests", "overdue_records_requests"]
    writer.writerow(header)
    for row in rows:
        line: list[Any] = [row.school.code, row.school.name, row.school.area.code, row.score, row.met]
        line += [len(row.items), "yes" if row.below_threshold else "no", len(row.overdue), len(row.expiring)]
        line += [row.awaiting_verification, row.training.staff, row.training.trained, row.cases.open]
        line += [row.cases.overdue]
        if campus and row.incidents is not None and row.records_requests is not None:
            line += [row.incidents.open, row.incidents.overdue, row.records_requests.open, row.records_requests.overdue]
        writer.writerow(line)


def pdf_response(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The report drawn on the server; the renderer may fetch nothing at all."""
    html = render_to_string("readiness/annual_report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="readiness-report.pdf"'
    response["Cache-Control"] = "no-store"
    return response
