"""Families notices ("agents present", "agents departed"): the school asks,
the district approves, and only then does the notice appear on the school's
public page and go to the district's mass-notification system. Drills and
unverified sightings never reach families."""

import csv
import io
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from safezones.accounts.models import User
from safezones.audit.actions import record
from safezones.campus.models import EntryKind, FamilyNotice, Incident, IncidentKind, NoticeKind, TimelineEntry
from safezones.outbox.actions import queue_webhook

CSV_COLUMNS = ("school_code", "school_name", "kind", "language", "text", "published_at")


class NoticeNotAllowedError(Exception):
    """Drills and sightings near a school are never broadcast to families."""


def request_notice(user: User, role: str, incident: Incident, kind: str) -> FamilyNotice:
    if incident.drill or incident.kind != IncidentKind.ON_CAMPUS:
        raise NoticeNotAllowedError
    messages = incident.protocol.content.get("family_messages", {}).get(kind, {})
    languages = ["en", *incident.school.languages]
    texts = {code: messages[code] for code in dict.fromkeys(languages) if code in messages}
    with transaction.atomic():
        notice, created = FamilyNotice.objects.get_or_create(
            incident=incident, kind=NoticeKind(kind), defaults={"texts": texts, "requested_by": user}
        )
        if created:
            TimelineEntry.objects.create(
                incident=incident, by=user, kind=EntryKind.NOTICE, data={"notice": kind, "status": "requested"}
            )
            record(user, "notice.requested", notice, role=role, school_code=incident.school.code)
    return notice


def approve_notice(user: User, role: str, notice: FamilyNotice) -> FamilyNotice:
    """Publish the notice and hand it to the mass-notification webhook (if the district set one)."""
    with transaction.atomic():
        locked = FamilyNotice.objects.select_for_update().select_related("incident__school").get(pk=notice.pk)
        if locked.status != FamilyNotice.Status.REQUESTED:
            return locked
        locked.status, locked.published_at, locked.approved_by = FamilyNotice.Status.PUBLISHED, timezone.now(), user
        locked.save(update_fields=["status", "published_at", "approved_by"])
        school = locked.incident.school
        TimelineEntry.objects.create(
            incident=locked.incident,
            by=user,
            kind=EntryKind.NOTICE,
            data={"notice": locked.kind, "status": "published"},
        )
        record(user, "notice.published", locked, role=role, school_code=school.code)
        transaction.on_commit(lambda: _forget_public_page(school.code))
        queue_webhook(
            f"notice:{locked.pk}",
            "notice",
            "families.notice",
            {"school": school.code, "school_name": school.name, "kind": locked.kind, "texts": locked.texts},
        )
    return locked


def withdraw_notice(user: User, role: str, notice: FamilyNotice) -> None:
    code = notice.incident.school.code
    with transaction.atomic():
        FamilyNotice.objects.filter(pk=notice.pk).update(status=FamilyNotice.Status.WITHDRAWN)
        record(user, "notice.withdrawn", notice, role=role, school_code=code)
        transaction.on_commit(lambda: _forget_public_page(code))


def _forget_public_page(code: str) -> None:
    # Imported here: the public page reads this module's notices.
    from safezones.readiness.public_views import forget_public_page

    forget_public_page(code)


def latest_public_notice(school_id: int) -> FamilyNotice | None:
    """What the school's public page shows: the latest published notice, if any."""
    return (
        FamilyNotice.objects.filter(incident__school_id=school_id, status=FamilyNotice.Status.PUBLISHED)
        .order_by("-published_at")
        .first()
    )


def notices_csv(notices: Iterable[FamilyNotice]) -> str:
    """One row per notice and language, for a mass-notification system's import."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for notice in notices:
        school = notice.incident.school
        published = notice.published_at.isoformat() if notice.published_at else ""
        for language, text in notice.texts.items():
            writer.writerow([school.code, school.name, notice.kind, language, text, published])
    return out.getvalue()
