"""Campus response: the district's protocol (versioned), each school's
call-down list, incidents with their append-only timeline, the alerts they
raise, the families notices they lead to, and records requests.

Nothing here has a field for a student's or family's name or for anyone's
immigration or citizenship status. Agents' details are recorded because the
protocol asks staff to write them down.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safezones.schools.models import District, School


class ProtocolVersion(models.Model):
    """One published version; never changed afterwards (the database refuses)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="protocol_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "number"], name="protocol_version_unique")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.district} protocol v{self.number}"


class Channel(models.TextChoices):
    APP = "app", _("In the app")
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("Text message or call")


class CallDownContact(models.Model):
    """One person to alert, at one level of a school's call-down list. Level 1
    is alerted at once; each next level when nobody has acknowledged in time."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="call_down")
    level = models.PositiveSmallIntegerField(_("level"))
    title = models.CharField(_("role on the list"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("account")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone for texts or calls"), max_length=32, blank=True)

    class Meta:
        ordering = ["level", "pk"]

    def __str__(self) -> str:
        return f"{self.level}. {self.name} ({self.title})"

    @property
    def channels(self) -> list[str]:
        found: list[str] = [Channel.APP] if self.user_id else []
        found += [Channel.EMAIL] if self.email else []
        return found + ([Channel.TEXT] if self.phone else [])


class CallDownReview(models.Model):
    """When someone last confirmed that a school's list is current."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="call_down_review")
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)

    def __str__(self) -> str:
        return f"call-down list of {self.school_id} verified {self.verified_at:%Y-%m-%d}"


class IncidentKind(models.TextChoices):
    ON_CAMPUS = "on_campus", _("Immigration agents at school")
    NEARBY = "nearby", _("Agents seen near school, not on campus")


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEPARTED = "departed", _("Agents departed")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """How an access attempt ended, for the board's de-identified report."""

    NO_ACCESS = "no_access", _("Agents stayed in public areas and left")
    ACCESS_WITH_ORDER = "access_with_order", _("Access after the legal office confirmed a judicial document")
    ACCESS_WITHOUT_CONSENT = "access_without_consent", _("Agents entered without consent")
    EMERGENCY = "emergency", _("Agents declared an emergency")
    NOT_ON_CAMPUS = "not_on_campus", _("Not on campus")
    OTHER = "other", _("Other")


class Incident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(max_length=16, choices=IncidentKind.choices)
    drill = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.ACTIVE)
    protocol = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="incidents")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    departed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    student_sought = models.BooleanField(default=False)
    # The highest call-down level alerted so far, and when it was alerted.
    alert_level = models.PositiveSmallIntegerField(default=0)
    alerted_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The id a phone chose before sending, so a retry after a lost answer finds this incident.
    client_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.school.code} {self.started_at:%Y-%m-%d %H:%M}"


class EntryKind(models.TextChoices):
    STARTED = "started", _("Incident started")
    CHECKED = "checked", _("Checklist item done")
    NOTE = "note", _("Note")
    AGENT = "agent", _("Agent recorded")
    DOCUMENT = "document", _("Document recorded")
    STATUS = "status", _("Status changed")
    ALERTED = "alerted", _("Call-down level alerted")
    ACKNOWLEDGED = "acknowledged", _("Alert acknowledged")
    LEGAL_DECISION = "legal_decision", _("Legal office decision")
    FOLLOW_UP = "follow_up", _("Follow-up")
    NOTICE = "notice", _("Families notice")


class TimelineEntry(models.Model):
    """One thing that happened, with its time; never changed or removed."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    # When the phone recorded it, if it was recorded offline and sent later.
    noted_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%H:%M:%S}"


class Agent(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="agents")
    name = models.CharField(_("name"), max_length=200, blank=True)
    badge = models.CharField(_("badge number"), max_length=64, blank=True)
    agency = models.CharField(_("agency"), max_length=100, blank=True)
    supervisor_phone = models.CharField(_("supervisor's phone"), max_length=32, blank=True)
    vehicle = models.CharField(_("vehicle"), max_length=200, blank=True)
    purpose = models.CharField(_("stated purpose"), max_length=500, blank=True)
    places = models.CharField(_("places they went"), max_length=500, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    departed_at = models.DateTimeField(_("left"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    client_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.badge}".strip()


class IncidentDocument(models.Model):
    """A document the agents showed. What the check made of it (its kind, the
    explanation and the steps) is kept in the clear for every responder; its
    words, the words the check picked out, and any photo name people, so they
    are encrypted under the document's own key, sealed to the school's
    administrators, the area, district and legal offices (`campus/documents.py`)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=32)
    result = models.JSONField()
    sealed = models.BinaryField(default=b"")
    photo = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    client_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} document"


class DocumentKey(models.Model):
    """A document's key, sealed to one office."""

    document = models.ForeignKey(IncidentDocument, on_delete=models.CASCADE, related_name="keys")
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="document_keys")
    sealed_key = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "office"], name="document_key_unique")]

    def __str__(self) -> str:
        return f"key of document {self.document_id} for office {self.office_id}"


class Alert(models.Model):
    """One contact told about one incident. The token in the link lets them
    acknowledge with one tap; only its digest is stored."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="alerts")
    contact = models.ForeignKey(CallDownContact, on_delete=models.SET_NULL, null=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    level = models.PositiveSmallIntegerField()
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "contact"], name="alert_once_per_contact")]

    def __str__(self) -> str:
        return f"alert level {self.level}"


class NoticeKind(models.TextChoices):
    AGENTS_PRESENT = "agents_present", _("Agents present")
    AGENTS_DEPARTED = "agents_departed", _("Agents departed")


class FamilyNotice(models.Model):
    """A pre-approved families message for one incident: asked for by the
    school, approved by the district, then shown on the school's public page
    and handed to the district's mass-notification system."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for district approval")
        PUBLISHED = "published", _("Approved and published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    texts = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "kind"], name="notice_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} notice"


class RecordsRequest(models.Model):
    """A request for information about a student or family, however it came.
    Release is blocked until the law's conditions are recorded: written
    parental consent, or legal compulsion confirmed by the legal office with
    the parent notified first (unless a court order forbids the notice)."""

    class How(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        EMAIL = "email", _("By e-mail")
        MAIL = "mail", _("By mail")
        SUBPOENA = "subpoena", _("Subpoena or other legal document")

    class Sought(models.TextChoices):
        DIRECTORY = "directory", _("Directory information")
        RECORDS = "records", _("Student records")
        WHEREABOUTS = "whereabouts", _("A student's schedule or whereabouts")
        FAMILY = "family", _("Family or household information")
        OTHER = "other", _("Other information")

    class Status(models.TextChoices):
        BLOCKED = "blocked", _("Blocked: nothing released")
        RELEASED = "released", _("Released")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="records_requests")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="records_requests"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    how = models.CharField(_("how it came"), max_length=16, choices=How.choices)
    requester = models.CharField(_("who asked (agency or office)"), max_length=200)
    sought = models.CharField(_("what was asked for"), max_length=16, choices=Sought.choices)
    document_kind = models.CharField(_("document presented"), max_length=32, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BLOCKED)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    compulsion_at = models.DateTimeField(null=True, blank=True)
    compulsion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    parent_notice_at = models.DateTimeField(null=True, blank=True)
    notice_forbidden_by_order = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"records request {self.school.code} {self.received_at:%Y-%m-%d}"

    @property
    def may_release(self) -> bool:
        if self.consent_at is not None:
            return True
        notice_settled = self.parent_notice_at is not None or self.notice_forbidden_by_order
        return self.compulsion_at is not None and notice_settled
