"""School readiness: the district's checklist (versioned), each school's
evidence for its items, training records, partner organizations and the
daily score that draws the trend.

Who may see or change what is decided in `schools/access.py`; every write
goes through `actions.py`.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safezones.schools.models import District, School


class Source(models.TextChoices):
    """Where an item's answer comes from."""

    ATTESTATION = "attestation", _("Attested by the site administrator")
    FRONT_OFFICE_TRAINING = "front_office_training", _("Training records (front office, 100%)")
    ALL_STAFF_TRAINING = "all_staff_training", _("Training records (all staff, the district's target)")
    DRILL = "drill", _("A drill recorded, or attested")
    PARTNERS = "partners", _("Partner organizations listed")


class Expiry(models.TextChoices):
    SCHOOL_YEAR = "school_year", _("At the end of the school year")
    DAYS = "days", _("After a number of days")
    NEVER = "never", _("Never")


class Checklist(models.Model):
    """One version of the district's checklist. The newest version is the
    one in force; older versions are kept so past scores can be explained."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="readiness_checklists")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # Schools whose score is below this share are flagged on the dashboards.
    threshold_percent = models.PositiveSmallIntegerField(_("readiness threshold (%)"), default=80)
    # The share of all staff that must have completed the protocol course.
    all_staff_target_percent = models.PositiveSmallIntegerField(_("all-staff training target (%)"), default=90)
    protocol_course = models.CharField(_("protocol course name"), max_length=200, default="Safe Zones protocol")
    school_year_starts_month = models.PositiveSmallIntegerField(_("month the school year starts"), default=8)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "version"], name="readiness_checklist_unique_version")
        ]

    def __str__(self) -> str:
        return f"checklist v{self.version}"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    # Stable across versions: evidence is filed against the key, not one version's row.
    key = models.SlugField(max_length=64)
    position = models.PositiveSmallIntegerField(default=0)
    # The district's own wording per language; empty means the default wording.
    titles = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=32, choices=Source.choices, default=Source.ATTESTATION)
    expiry = models.CharField(max_length=16, choices=Expiry.choices, default=Expiry.SCHOOL_YEAR)
    valid_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "key"]
        constraints = [models.UniqueConstraint(fields=["checklist", "key"], name="readiness_item_unique_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def title(self) -> str:
        """The item in the active language: the district's words, else the default's."""
        from safezones.readiness.checklist import default_title

        language = (get_language() or "en").split("-", maxsplit=1)[0]
        own = self.titles.get(language)
        if own:
            return str(own)
        default = default_title(self.key)
        if default is not None:
            return default
        return str(self.titles.get("en") or next(iter(self.titles.values()), self.key))

    @property
    def is_attested(self) -> bool:
        """Items a site administrator attests (the others come from records)."""
        return self.source in (Source.ATTESTATION, Source.DRILL)


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name never carries the uploaded file's own name.
    suffix = filename.rsplit(".", maxsplit=1)[-1].lower()[:8] if "." in filename else "bin"
    return f"readiness/{instance.school_id}/{instance.item_key}-{instance.attested_at:%Y%m%d%H%M%S}.{suffix}"


class Evidence(models.Model):
    """A site administrator's word that an item is in place, and the area
    office's check of it. A newer attestation supersedes the older one."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="readiness_evidence")
    item_key = models.SlugField(max_length=64)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    school_year = models.PositiveSmallIntegerField()  # the year it starts in
    expires_on = models.DateField(null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="readiness_attested"
    )
    attested_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="readiness_verified"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-attested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "item_key"],
                condition=models.Q(superseded=False),
                name="readiness_evidence_one_current",
            )
        ]
        indexes = [models.Index(fields=["school", "superseded"])]

    def __str__(self) -> str:
        return f"{self.item_key} at {self.school_id}"

    def is_current(self, today: date) -> bool:
        return not self.superseded and (self.expires_on is None or self.expires_on >= today)


class StaffRole(models.TextChoices):
    FRONT_OFFICE = "front_office", _("Front office")
    ADMINISTRATOR = "administrator", _("Administrator")
    TEACHER = "teacher", _("Teacher")
    SUPPORT = "support", _("Support staff")
    OTHER = "other", _("Other staff")


class StaffMember(models.Model):
    """A member of a school's staff as the district's learning system knows
    them: an employee id and a role, never a name."""

    employee_id = models.CharField(max_length=64, unique=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="readiness_staff")
    role = models.CharField(max_length=16, choices=StaffRole.choices, default=StaffRole.OTHER)

    class Meta:
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self) -> str:
        return self.employee_id


class TrainingCompletion(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="completions")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "course", "completed_on"], name="readiness_completion_unique")
        ]
        indexes = [models.Index(fields=["course", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.course} {self.completed_on}"


class Partner(models.Model):
    """A community organization from the district's directory that the school works with."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="readiness_partners")
    resource = models.ForeignKey("families.Resource", on_delete=models.CASCADE, related_name="partner_schools")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "resource"], name="readiness_partner_unique")]

    def __str__(self) -> str:
        return f"{self.resource_id} at {self.school_id}"


class ScoreSnapshot(models.Model):
    """A school's score on one day, for the trend over the school year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="readiness_snapshots")
    on = models.DateField()
    score = models.PositiveSmallIntegerField()  # percent

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "on"], name="readiness_snapshot_unique_day")]
        indexes = [models.Index(fields=["on"])]

    def __str__(self) -> str:
        return f"{self.school_id} {self.on} {self.score}%"
