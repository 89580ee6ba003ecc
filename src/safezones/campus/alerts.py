"""Alerts that climb the call-down list until someone acknowledges.

Starting an incident alerts the first level of the school's list. When nobody
has acknowledged within the district's limit (3 minutes unless it says
otherwise), the next level is alerted, and so on to the end of the list. A
task scheduled for that moment checks, and the periodic job checks again in
case a worker was down. Messages go through the outbox in the same
transaction: the school, the kind of event and links, never a student or a
family. A drill alerts only the first level, never by text, and never climbs.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from safezones.accounts.models import User
from safezones.audit.actions import record
from safezones.campus.models import (
    Alert,
    CallDownContact,
    EntryKind,
    Incident,
    IncidentKind,
    IncidentStatus,
    TimelineEntry,
)
from safezones.lib.crypto import new_token, token_digest
from safezones.outbox.actions import queue_email, queue_webhook


def alert_next_level(incident: Incident, now: datetime | None = None) -> int:
    """Alert every contact on the next level that has any; returns how many."""
    now = now or timezone.now()
    if incident.drill and incident.alert_level >= 1:
        return 0
    waiting = CallDownContact.objects.filter(school=incident.school, level__gt=incident.alert_level)
    first = waiting.order_by("level").first()
    if first is None:
        return 0
    contacts = list(waiting.filter(level=first.level).select_related("user"))
    for contact in contacts:
        _alert(incident, contact)
    incident.alert_level, incident.alerted_at = first.level, now
    incident.save(update_fields=["alert_level", "alerted_at"])
    TimelineEntry.objects.create(
        incident=incident, kind=EntryKind.ALERTED, data={"level": first.level, "contacts": len(contacts)}
    )
    if not incident.drill:
        limit = _limit(incident)
        transaction.on_commit(lambda: _schedule_check(incident, now + limit))
    return len(contacts)


def _alert(incident: Incident, contact: CallDownContact) -> None:
    token = new_token()
    alert = Alert.objects.create(
        incident=incident, contact=contact, user=contact.user, level=contact.level, token_digest=token_digest(token)
    )
    links = {
        "link": f"{settings.SITE_URL}/staff/incidents/{incident.pk}/",
        "acknowledge": f"{settings.SITE_URL}/alerts/{token}/",
    }
    if contact.email:
        subject, body = _email(incident, links)
        queue_email(f"alert:{alert.pk}:email", contact.email, subject, body)
    if contact.phone and not incident.drill:
        queue_webhook(
            f"alert:{alert.pk}:text",
            "alert",
            "incident.alert",
            {
                "to": contact.phone,
                "school": incident.school.code,
                "school_name": incident.school.name,
                "kind": incident.kind,
                "level": contact.level,
                "text": _text(incident, links),
                **links,
            },
        )


def _headline(incident: Incident) -> str:
    if incident.kind == IncidentKind.NEARBY:
        return _("Agents reported near %(school)s (not on campus, unverified)") % {"school": incident.school.name}
    return _("Immigration agents at %(school)s") % {"school": incident.school.name}


def _email(incident: Incident, links: dict[str, str]) -> tuple[str, str]:
    parts = []
    for language in ("en", "es"):
        with override(language):
            drill = _("DRILL, not a real event.") + " " if incident.drill else ""
            parts.append(
                drill
                + _headline(incident)
                + "\n"
                + _("Acknowledge with one tap: %(acknowledge)s") % links
                + "\n"
                + _("Open the incident: %(link)s") % links
            )
    with override("en"):
        subject = ("[DRILL] " if incident.drill else "") + "Safe Zones: " + _headline(incident)
    return subject, "\n\n".join(parts) + "\n"


def _text(incident: Incident, links: dict[str, str]) -> str:
    parts = []
    for language in ("en", "es"):
        with override(language):
            parts.append(_headline(incident) + ". " + _("Acknowledge: %(acknowledge)s") % links)
    return " / ".join(parts)


def _limit(incident: Incident) -> timedelta:
    return timedelta(minutes=incident.school.area.district.acknowledge_minutes)


def _schedule_check(incident: Incident, when: datetime) -> None:
    from safezones.campus.tasks import check_escalation

    check_escalation.using(run_after=when).enqueue(str(incident.pk))


def acknowledge(user: User | None, role: str, incident: Incident, via: str = "app") -> bool:
    """Stop the climb. Returns False when someone had acknowledged already."""
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.acknowledged_at is not None:
            return False
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), user
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        TimelineEntry.objects.create(incident=locked, by=user, kind=EntryKind.ACKNOWLEDGED, data={"via": via})
        record(user, "incident.acknowledged", locked, role=role, school_code=locked.school.code)
    incident.acknowledged_at, incident.acknowledged_by = locked.acknowledged_at, user
    return True


def alert_for_token(token: str) -> Alert | None:
    if not token or len(token) > 64:
        return None
    return Alert.objects.filter(token_digest=token_digest(token)).select_related("incident__school", "user").first()


def acknowledge_by_token(alert: Alert) -> bool:
    """The one-tap link: the person the alert went to acknowledges."""
    role = "call_down" if alert.user is None else "call_down_account"
    Alert.objects.filter(pk=alert.pk, seen_at__isnull=True).update(seen_at=timezone.now())
    return acknowledge(alert.user, role, alert.incident, via="link")


def escalate_due(now: datetime | None = None, incident_id: str | None = None) -> int:
    """Alert the next level of every incident whose alert went unacknowledged
    past the district's limit. `now` is a parameter so tests can move the clock."""
    now = now or timezone.now()
    candidates = Incident.objects.filter(
        status=IncidentStatus.ACTIVE, acknowledged_at__isnull=True, alerted_at__isnull=False, drill=False
    )
    if incident_id is not None:
        candidates = candidates.filter(pk=incident_id)
    escalated = 0
    for incident_pk in candidates.values_list("pk", flat=True):
        escalated += _escalate_one(incident_pk, now)
    return escalated


def _escalate_one(incident_pk: uuid.UUID, now: datetime) -> int:
    with transaction.atomic():
        incident = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("school__area__district")
            .filter(pk=incident_pk, status=IncidentStatus.ACTIVE, acknowledged_at__isnull=True)
            .first()
        )
        if incident is None or incident.alerted_at is None or incident.alerted_at + _limit(incident) > now:
            return 0
        level = incident.alert_level
        if not alert_next_level(incident, now):
            return 0
        record(
            None,
            f"incident.escalated.{incident.alert_level}",
            incident,
            role="system",
            school_code=incident.school.code,
        )
        return 1 if incident.alert_level > level else 0


def open_alerts_for(user: User) -> QuerySet[Alert]:
    """Alerts to this person that nobody has acknowledged yet, newest first."""
    return (
        Alert.objects.filter(user=user, incident__acknowledged_at__isnull=True)
        .exclude(incident__status=IncidentStatus.CLOSED)
        .select_related("incident__school")
        .order_by("-created_at")
    )
