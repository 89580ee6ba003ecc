"""The weekly follow-up: each site administrator hears about the items that
are missing or expire within 30 days, and each area office gets a summary of
its schools. Every message goes through the outbox, at most once a week per
person (the week is part of the message's dedupe key), and names items and
schools, never people."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from safezones.audit.actions import record
from safezones.outbox.actions import queue_email
from safezones.readiness.actions import take_snapshots
from safezones.readiness.queries import SchoolReadiness, readiness_of
from safezones.schools import access
from safezones.schools.models import Area, District, School

LANGUAGES = ("en", "es")


def follow_up(district: District, today: date) -> int:
    """Take today's scores and queue this week's reminders; the number queued."""
    take_snapshots(School.objects.all(), district, today)
    rows = readiness_of(School.objects.select_related("area").order_by("code"), district, today, with_evidence=False)
    year, week, _day = today.isocalendar()
    tag = f"{year}-W{week:02d}"
    queued = 0
    with transaction.atomic():
        by_area: dict[Area, list[SchoolReadiness]] = defaultdict(list)
        for row in rows:
            by_area[row.school.area].append(row)
            if row.overdue or row.expiring:
                queued += _remind_school(row, tag)
        for area, area_rows in by_area.items():
            queued += _summarize_area(area, area_rows, tag)
        record(None, "readiness.follow_up", district, role="system", object_id=f"{queued} messages")
    return queued


def _remind_school(row: SchoolReadiness, tag: str) -> int:
    link = f"{settings.SITE_URL}/staff/readiness/schools/{row.school.code}/"
    parts = []
    for language in LANGUAGES:
        with override(language):
            lines = [
                _("Readiness at %(school)s: items to attend to. Sign in to attest them: %(link)s")
                % {"school": row.school.name, "link": link}
            ]
            lines += [_("Missing or expired: %(item)s") % {"item": status.item.title} for status in row.overdue]
            lines += [_("Expires within 30 days: %(item)s") % {"item": status.item.title} for status in row.expiring]
            parts.append("\n".join(lines))
    with override("en"):
        subject = _("Safe Zones: readiness items to attend to")
    queued = 0
    for member in access.office_members("school", school=row.school):
        if queue_email(f"readiness:{row.school.code}:{tag}:{member.pk}", member.email, subject, "\n\n".join(parts)):
            queued += 1
    return queued


def _summarize_area(area: Area, rows: list[SchoolReadiness], tag: str) -> int:
    link = f"{settings.SITE_URL}/staff/readiness/areas/{area.code}/"
    below = [row for row in rows if row.below_threshold]
    awaiting = sum(row.awaiting_verification for row in rows)
    parts = []
    for language in LANGUAGES:
        with override(language):
            lines = [
                _(
                    "Weekly readiness summary for %(area)s: %(schools)d schools, %(below)d below the threshold, "
                    "%(awaiting)d items awaiting your verification. %(link)s"
                )
                % {"area": area.name, "schools": len(rows), "below": len(below), "awaiting": awaiting, "link": link}
            ]
            lines += [f"{row.school.code} {row.school.name}: {row.score}%" for row in below]
            parts.append("\n".join(lines))
    with override("en"):
        subject = _("Safe Zones: weekly readiness summary")
    queued = 0
    for member in access.office_members("area", area=area):
        if queue_email(f"readiness-summary:{area.code}:{tag}:{member.pk}", member.email, subject, "\n\n".join(parts)):
            queued += 1
    return queued
