"""Every write about the protocol and incidents. Each function takes the
acting user, runs in one transaction and records an audit event in it;
alerts go out through the outbox after commit.

Writes that a phone may repeat (after a lost answer, or when it comes back
online) carry a client key chosen on the phone: the second time, the first
result is returned and nothing is written again.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from safezones.accounts.models import User
from safezones.audit.actions import record
from safezones.campus import alerts
from safezones.campus.calldown import ensure_call_down
from safezones.campus.documents import public_result, seal_document
from safezones.campus.models import (
    Agent,
    EntryKind,
    Incident,
    IncidentDocument,
    IncidentKind,
    IncidentStatus,
    Outcome,
    ProtocolVersion,
    TimelineEntry,
)
from safezones.campus.protocol import default_source, dump_protocol, parse_protocol
from safezones.schools.models import District, School

AGENT_FIELDS = ("name", "badge", "agency", "supervisor_phone", "vehicle", "purpose", "places")
# Entries a person may add by hand; the others are written by the actions below.
HAND_ENTRIES = (EntryKind.CHECKED, EntryKind.NOTE, EntryKind.FOLLOW_UP, EntryKind.LEGAL_DECISION)


class IncidentClosedError(Exception):
    """A closed incident takes no more entries."""


# --- The protocol ---------------------------------------------------------------


def publish_protocol(user: User | None, role: str, district: District, source: str, note: str = "") -> ProtocolVersion:
    """Check the YAML and publish it as the district's next version (ProtocolError if it is not valid)."""
    content = parse_protocol(source)
    with transaction.atomic():
        # Lock the district row so two publishers cannot take the same number.
        District.objects.select_for_update().filter(pk=district.pk).first()
        last = ProtocolVersion.objects.filter(district=district).order_by("-number").first()
        version = ProtocolVersion.objects.create(
            district=district,
            number=(last.number + 1) if last else 1,
            content=content,
            published_by=user,
            note=note[:200],
        )
        record(user, "protocol.published", version, role=role)
    return version


def current_protocol(district: District) -> ProtocolVersion:
    """The latest published version; the default protocol is published first if there is none."""
    version = ProtocolVersion.objects.filter(district=district).order_by("-number").first()
    if version is None:
        version = publish_protocol(None, "system", district, default_source(), note="Default protocol")
    return version


def export_protocol(version: ProtocolVersion) -> str:
    return dump_protocol(version.content)


# --- Incidents ------------------------------------------------------------------


def start_incident(
    user: User, role: str, school: School, kind: str, *, drill: bool = False, client_key: uuid.UUID | None = None
) -> tuple[Incident, bool]:
    """Open an incident, write its first entry and alert the call-down list.
    Returns the incident and whether it is new (False for a repeated client key)."""
    if client_key is not None and (found := Incident.objects.filter(client_key=client_key).first()):
        return found, False
    protocol = current_protocol(school.area.district)
    ensure_call_down(school)
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                school=school,
                kind=IncidentKind(kind),
                drill=drill,
                protocol=protocol,
                started_by=user,
                client_key=client_key,
            )
            _entry(incident, user, EntryKind.STARTED, data={"kind": kind, "drill": drill})
            record(
                user,
                "incident.drill_started" if drill else "incident.started",
                incident,
                role=role,
                school_code=school.code,
            )
            alerts.alert_next_level(incident)
    except IntegrityError:
        if client_key is None:
            raise
        return Incident.objects.get(client_key=client_key), False
    return incident, True


def add_entry(
    user: User,
    role: str,
    incident: Incident,
    kind: str,
    *,
    text: str = "",
    data: dict[str, Any] | None = None,
    client_key: uuid.UUID | None = None,
    noted_at: datetime | None = None,
) -> TimelineEntry:
    """A checklist tick, a note, a follow-up or a legal decision."""
    if kind not in HAND_ENTRIES:
        raise ValueError(kind)
    return _repeatable(
        TimelineEntry,
        client_key,
        lambda: _entry(
            incident, user, EntryKind(kind), text, data=data or {}, client_key=client_key, noted_at=noted_at
        ),
        lambda entry: record(user, f"incident.{kind}", incident, role=role, school_code=incident.school.code),
        incident,
    )


def record_agent(
    user: User, role: str, incident: Incident, fields: dict[str, Any], client_key: uuid.UUID | None = None
) -> Agent:
    def create() -> Agent:
        agent = Agent.objects.create(
            incident=incident,
            client_key=client_key,
            arrived_at=fields.get("arrived_at"),
            departed_at=fields.get("departed_at"),
            **{name: str(fields.get(name) or "")[:500] for name in AGENT_FIELDS},
        )
        label = " · ".join(part for part in (agent.name, agent.badge, agent.agency) if part)
        _entry(incident, user, EntryKind.AGENT, label, data={"agent": agent.pk})
        return agent

    return _repeatable(
        Agent,
        client_key,
        create,
        lambda agent: record(user, "incident.agent_recorded", incident, role=role, school_code=incident.school.code),
        incident,
    )


def record_document(
    user: User,
    role: str,
    incident: Incident,
    text: str,
    check: dict[str, Any],
    *,
    photo: bytes = b"",
    client_key: uuid.UUID | None = None,
) -> IncidentDocument:
    """Keep what the check found for every responder, and the document's own
    words, quoted markers and photo sealed to the offices (campus/documents.py)."""

    def create() -> IncidentDocument:
        document = IncidentDocument.objects.create(
            incident=incident,
            kind=str(check.get("kind", "unknown")),
            result=public_result(check),
            recorded_by=user,
            client_key=client_key,
        )
        seal_document(document, text, list(check.get("markers", [])), photo)
        _entry(incident, user, EntryKind.DOCUMENT, document.kind, data={"document": document.pk})
        return document

    return _repeatable(
        IncidentDocument,
        client_key,
        create,
        lambda document: record(
            user, "incident.document_recorded", incident, role=role, school_code=incident.school.code
        ),
        incident,
    )


def set_status(user: User, role: str, incident: Incident, status: str, outcome: str = "") -> Incident:
    """Agents departed, or the incident closed (with how the attempt ended)."""
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.status == IncidentStatus.CLOSED:
            raise IncidentClosedError
        now = timezone.now()
        locked.status = IncidentStatus(status)
        if status == IncidentStatus.DEPARTED and locked.departed_at is None:
            locked.departed_at = now
        if status == IncidentStatus.CLOSED:
            locked.closed_at = now
            locked.departed_at = locked.departed_at or now
            locked.outcome = Outcome(outcome) if outcome else Outcome.OTHER
        locked.save(update_fields=["status", "departed_at", "closed_at", "outcome"])
        _entry(locked, user, EntryKind.STATUS, data={"status": status, "outcome": locked.outcome})
        record(user, f"incident.{status}", locked, role=role, school_code=locked.school.code)
    return locked


def mark_student_sought(user: User, role: str, incident: Incident) -> None:
    """A student was asked for: the parent-notice follow-up becomes due."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(student_sought=True)
        _entry(incident, user, EntryKind.NOTE, data={"student_sought": True})
        record(user, "incident.student_sought", incident, role=role, school_code=incident.school.code)
    incident.student_sought = True


def _entry(
    incident: Incident,
    user: User | None,
    kind: EntryKind,
    text: str = "",
    *,
    data: dict[str, Any] | None = None,
    client_key: uuid.UUID | None = None,
    noted_at: datetime | None = None,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident,
        by=user,
        kind=kind,
        text=text[:4000],
        data=data or {},
        client_key=client_key,
        noted_at=noted_at,
    )


def _repeatable[M: models.Model](
    model: type[M],
    client_key: uuid.UUID | None,
    create: Callable[[], M],
    audit: Callable[[M], object],
    incident: Incident,
) -> M:
    """Create once per client key; a repeat returns what the first made."""
    if client_key is not None and (found := model._default_manager.filter(client_key=client_key).first()):
        return found
    if Incident.objects.filter(pk=incident.pk, status=IncidentStatus.CLOSED).exists():
        raise IncidentClosedError
    try:
        with transaction.atomic():
            made = create()
            audit(made)
    except IntegrityError:
        if client_key is None:
            raise
        return model._default_manager.get(client_key=client_key)
    return made
