"""Reads for vendor review: the findings to review, the renewal watch and the
board report. Vendor review is district-wide, so access is by capability only."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from safezones.vendors.models import Contract, Finding, StudentData, Vendor

RENEWAL_DAYS = 180


def findings_to_review(status: str = "") -> QuerySet[Finding]:
    findings = Finding.objects.filter(current=True).select_related("vendor", "decided_by")
    if status:
        findings = findings.filter(status=status)
    return findings.order_by("status", "-confidence", "vendor__name")


@dataclass
class ReportLine:
    vendor: Vendor
    findings: list[Finding]
    contracts: list[Contract]
    contract_value: Decimal
    renewal_due: list[Contract] = field(default_factory=list)

    @property
    def action(self) -> str:
        from django.utils.translation import gettext as _

        if self.renewal_due:
            return _("Decide before renewal: do not renew without a board decision.")
        if self.vendor.student_data in (StudentData.RECORDS, StudentData.SENSITIVE):
            return _("Review the data agreement and its subprocessors; plan a replacement.")
        return _("Prefer another vendor at the next procurement.")


def board_report(today: date) -> list[ReportLine]:
    """Vendors with confirmed findings, their contracts and the renewals due within 180 days."""
    confirmed = Finding.objects.filter(current=True, status=Finding.Status.CONFIRMED).order_by("-confidence")
    vendors = (
        Vendor.objects.filter(findings__in=confirmed)
        .distinct()
        .prefetch_related(Prefetch("findings", queryset=confirmed, to_attr="confirmed"), "contracts")
        .order_by("name")
    )
    lines = []
    for vendor in vendors:
        contracts = list(vendor.contracts.all())
        due = [c for c in contracts if c.end_date and today <= c.end_date <= today + timedelta(days=RENEWAL_DAYS)]
        value = sum((c.amount or Decimal(0) for c in contracts), Decimal(0))
        lines.append(ReportLine(vendor, vendor.confirmed, contracts, value, due))
    return lines


def renewal_watch(today: date) -> list[ReportLine]:
    return [line for line in board_report(today) if line.renewal_due]
