"""Vendor review: the district's contracts and vendors, the federal award data
they are screened against, the findings, and the reviewers' decisions.

Nothing here is about a family or a student: vendor review is public-money
business and its evidence is public record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StudentData(models.TextChoices):
    NONE = "none", _("None")
    DIRECTORY = "directory", _("Directory information")
    RECORDS = "records", _("Student records")
    SENSITIVE = "sensitive", _("Sensitive records")


class Vendor(models.Model):
    name = models.CharField(_("name"), max_length=300)
    key = models.CharField(max_length=300, unique=True)  # the name reduced for comparison (screening.names)
    uei = models.CharField("UEI", max_length=12, blank=True)
    duns = models.CharField("DUNS", max_length=9, blank=True)
    cage = models.CharField("CAGE", max_length=5, blank=True)
    ein = models.CharField("EIN", max_length=10, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries")
    parent_name = models.CharField(_("parent company"), max_length=300, blank=True)
    student_data = models.CharField(
        _("student data it can reach"), max_length=10, choices=StudentData.choices, default=StudentData.NONE
    )
    subprocessors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="processes_for")
    compliant_on = models.DateField(null=True, blank=True)  # every required contract term present

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VendorAlias(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor", "name"], name="vendor_alias_unique")]

    def __str__(self) -> str:
        return self.name


class ColumnMapping(models.Model):
    """The district's own column names for a contract export, confirmed once."""

    name = models.CharField(max_length=100, unique=True)
    columns = models.JSONField(default=dict)  # field -> column header in the district's file

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    number = models.CharField(_("contract number"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    vendors = models.ManyToManyField(Vendor, related_name="contracts")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Award(models.Model):
    """One federal award (summary file) or transaction (transaction file)."""

    key = models.CharField(max_length=300, unique=True)
    award_id = models.CharField(max_length=100, db_index=True)
    recipient_name = models.CharField(max_length=300)
    recipient_alias = models.CharField(max_length=300, blank=True)
    recipient_uei = models.CharField(max_length=12, blank=True, db_index=True)
    recipient_duns = models.CharField(max_length=9, blank=True, db_index=True)
    cage_code = models.CharField(max_length=5, blank=True)
    parent_name = models.CharField(max_length=300, blank=True)
    parent_uei = models.CharField(max_length=12, blank=True)
    parent_duns = models.CharField(max_length=9, blank=True)
    agency_code = models.CharField(max_length=10, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    sub_agency_code = models.CharField(max_length=10, blank=True)
    sub_agency = models.CharField(max_length=200, blank=True)
    office = models.CharField(max_length=200, blank=True)
    obligated = models.DecimalField(max_digits=16, decimal_places=2)
    action_date = models.DateField(null=True)
    start_date = models.DateField(null=True)
    end_date = models.DateField(null=True)
    description = models.TextField(blank=True)
    psc = models.CharField(max_length=10, blank=True)
    psc_description = models.CharField(max_length=300, blank=True)
    naics = models.CharField(max_length=10, blank=True)
    naics_description = models.CharField(max_length=300, blank=True)
    permalink = models.URLField(max_length=300, blank=True)
    source_file = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.key


class Evidence(models.Model):
    """A curated, sourced statement for what federal data does not show."""

    entity = models.CharField(max_length=300)
    relationship = models.CharField(max_length=200)
    what = models.TextField()
    source_url = models.URLField(max_length=500)
    date = models.CharField(max_length=20)
    parent = models.CharField(max_length=300, blank=True)
    severity = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.entity}: {self.relationship}"


class Link(models.TextChoices):
    DIRECT = "direct", _("Direct")
    PARENT = "parent", _("Parent company")
    SUBSIDIARY = "subsidiary", _("Subsidiary")
    SIBLING = "sibling", _("Sibling company")
    SUBPROCESSOR = "subprocessor", _("Data subprocessor")
    CURATED = "curated", _("Curated evidence")


class Severity(models.TextChoices):
    DETENTION = "detention", _("Detention")
    SURVEILLANCE = "surveillance", _("Surveillance and data")
    OPERATIONS = "operations", _("Enforcement operations")
    OTHER = "other", _("Other services")


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="findings")
    entity = models.CharField(max_length=300)
    entity_key = models.CharField(max_length=300)
    link = models.CharField(max_length=20, choices=Link.choices)
    confidence = models.FloatField()
    severity = models.CharField(max_length=20, choices=Severity.choices)
    award_ids = models.JSONField(default=list)
    obligated = models.DecimalField(max_digits=16, decimal_places=2)
    evidence = models.JSONField(default=dict)  # awards, claims, path, reasons (screening.tables.finding_json)
    explanation = models.TextField(blank=True)
    evidence_digest = models.CharField(max_length=64)
    current = models.BooleanField(default=True)  # found by the latest screening
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_digest = models.CharField(max_length=64, blank=True)  # the evidence the decision was about
    screened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "entity_key"], name="finding_vendor_entity_unique"),
        ]
        ordering = ["vendor__name", "-confidence"]

    def __str__(self) -> str:
        return f"{self.vendor_id}: {self.entity}"


class ContractTerm(models.Model):
    """Whether a vendor's contract has one term California requires (Education
    Code 49073.1) or keeps one of SOPIPA's prohibitions."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(max_length=40)
    present = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor", "code"], name="contract_term_unique")]

    def __str__(self) -> str:
        return self.code


class OwnershipEdge(models.Model):
    """A parent and a child company from outside the award data, by identifier
    ("lei:…"): GLEIF's level-2 relationship records."""

    source = models.CharField(max_length=20)  # "GLEIF"
    parent_ref = models.CharField(max_length=100)
    child_ref = models.CharField(max_length=100)
    relationship = models.CharField(max_length=60)
    start_date = models.CharField(max_length=10, blank=True)
    end_date = models.CharField(max_length=10, blank=True)
    source_file = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "parent_ref", "child_ref", "relationship"], name="ownership_edge_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_ref} → {self.parent_ref}"


class LegalEntityName(models.Model):
    """The legal name of a company known by identifier only (GLEIF's level-1 LEI records)."""

    ref = models.CharField(max_length=100, unique=True)  # "lei:…"
    name = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.name


class PendingUpload(models.Model):
    """A contract file between its upload and the confirmation of its columns,
    encrypted under a key that only the uploader's form carries back. Expires."""

    lookup = models.CharField(max_length=64, unique=True)  # digest of the key
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=300)
    data = models.BinaryField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
