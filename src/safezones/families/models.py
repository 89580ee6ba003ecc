"""Family cases: requests for services and reports of noncompliance.

Only what routing and counting need is stored in the clear: the school, the
kind of case, the needs or the kind of problem, the language, the status and
dates (never times). Everything the family wrote is in `content` and in
messages, encrypted under the case's own key; that key is sealed to each
office on the case's path and, for the family, to a key derived from their
receipt. There is no field for immigration or citizenship status, by design.
"""

import uuid
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safezones.accounts.models import Office
from safezones.schools.models import School


class Need(models.TextChoices):
    LEGAL_HELP = "legal_help", _("Legal help")
    RAPID_RESPONSE = "rapid_response", _("Rapid response network")
    KYR_WORKSHOP = "kyr_workshop", _("Know Your Rights workshop")
    COUNSELING = "counseling", _("Counseling or mental health support")
    FAMILY_PREPAREDNESS = "family_preparedness", _("Family preparedness (caregiver plans, emergency contacts)")
    SAFE_PASSAGE = "safe_passage", _("Safe passage or transportation")
    ATTENDANCE_SUPPORT = "attendance_support", _("Attendance or remote-learning support")
    OTHER = "other", _("Something else")


class ReportKind(models.TextChoices):
    AGENTS_ALLOWED_IN = "agents_allowed_in", _("Agents were allowed into a non-public area")
    INFO_SHARED = "info_shared", _("Information about a student or family was shared")
    STATUS_ASKED = "status_asked", _("A family or student was asked about immigration status")
    NOT_POSTED = "not_posted", _("The protocol or resources were not posted")
    REQUEST_IGNORED = "request_ignored", _("A request was ignored")
    OTHER = "other", _("Something else")


class Contact(models.TextChoices):
    NONE = "none", _("Do not contact me")
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By e-mail")
    FAMILY_CENTER = "family_center", _("Through the school's family center")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class ClosedReason(models.TextChoices):
    DONE = "done", _("The family's need was met")
    REFERRED_OUT = "referred_out", _("Referred to another organization")
    NO_RESPONSE = "no_response", _("The family did not answer")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    OUT_OF_SCOPE = "out_of_scope", _("Not something the district handles")
    OTHER = "other", _("Other")


class FamilyCase(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", _("Request for services")
        REPORT = "report", _("Report of noncompliance")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="family_cases")
    language = models.CharField(max_length=16)
    needs = models.JSONField(default=list, blank=True)
    report_kind = models.CharField(max_length=32, choices=ReportKind.choices, blank=True)
    contact = models.CharField(max_length=16, choices=Contact.choices, default=Contact.NONE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    closed_reason = models.CharField(max_length=16, choices=ClosedReason.choices, blank=True)
    assigned_to = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    received_on = models.DateField()
    updated_on = models.DateField()
    receipt_digest = models.BinaryField(unique=True)
    idempotency_digest = models.BinaryField(unique=True, null=True, blank=True)
    # The receipt again, for a retry of the same submission only: encrypted
    # under a key derived from the client's idempotency key.
    retry_receipt = models.BinaryField(null=True, blank=True)
    salt = models.BinaryField()
    family_sealed_key = models.BinaryField()
    content = models.BinaryField()
    content_destroyed_on = models.DateField(null=True, blank=True)
    acknowledge_by = models.DateField(null=True, blank=True)
    resolve_by = models.DateField(null=True, blank=True)
    # 0: the offices a case starts with; each missed deadline adds the next level.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # Whether the offices on the case's path were sent their notices. The
    # worker sends them after the filing commits; the periodic job finds a
    # case whose task was lost.
    offices_told = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_on"]
        indexes = [
            # Dashboards count open cases per school across the whole district.
            models.Index(fields=["school", "status"], name="family_case_school_status"),
            # Only the few cases not told yet, for the periodic job.
            models.Index(fields=["offices_told"], condition=Q(offices_told=False), name="family_case_untold"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id}"

    @property
    def is_overdue(self) -> bool:
        if self.status in (Status.RESOLVED, Status.CLOSED):
            return False
        today = timezone.localdate()
        late_ack = self.status == Status.RECEIVED and self.acknowledge_by is not None and self.acknowledge_by < today
        return late_ack or (self.resolve_by is not None and self.resolve_by < today)

    @property
    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(need, need)) for need in self.needs]


class CaseKey(models.Model):
    """The case's key, sealed to one office on its path."""

    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="keys")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="case_keys")
    sealed_key = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "office"], name="case_key_unique")]

    def __str__(self) -> str:
        return f"key of {self.case_id} for {self.office}"


class Attachment(models.Model):
    """A file a family sent, stored only encrypted under the case's key, with
    its metadata (such as a photo's location) removed first."""

    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    added_on = models.DateField()

    def __str__(self) -> str:
        return f"attachment {self.pk} of {self.case_id}"

    def get_kind_label(self) -> str:
        return str(_("PDF file") if self.content_type == "application/pdf" else _("Photo"))


class CaseMessage(models.Model):
    class Author(models.TextChoices):
        FAMILY = "family", _("Family")
        STAFF = "staff", _("Staff")

    case = models.ForeignKey(FamilyCase, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=8, choices=Author.choices)
    internal = models.BooleanField(default=False)  # staff notes the family never sees
    sent_on = models.DateField()
    body = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"message {self.pk} on {self.case_id}"


class ReceiptSalt(models.Model):
    """One random salt for the whole installation, so a receipt's digest can be
    looked up. It need not be secret: a receipt holds 83 random bits."""

    salt = models.BinaryField()

    def __str__(self) -> str:
        return "receipt salt"


class Resource(models.Model):
    """An entry in the district's directory of help for families."""

    class Kind(models.TextChoices):
        LEGAL_AID = "legal_aid", _("Legal aid")
        RAPID_RESPONSE = "rapid_response", _("Rapid response hotline")
        COMMUNITY = "community", _("Community organization")
        COUNSELING = "counseling", _("Counseling")
        WORKSHOP = "workshop", _("Know Your Rights workshop")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        LOW = "low", _("Low cost")
        FEE = "fee", _("Fee")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    languages = models.JSONField(default=list, blank=True)
    areas = models.ManyToManyField("schools.Area", blank=True, related_name="resources")
    cost = models.CharField(max_length=8, choices=Cost.choices, default=Cost.FREE)
    hours = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)  # workshops only
    last_verified = models.DateField()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="resource_unique_name")]

    def __str__(self) -> str:
        return self.name

    def needs_checking(self, today: date) -> bool:
        """Not verified for six months: flagged for the district to check."""
        return (today - self.last_verified).days > 182
