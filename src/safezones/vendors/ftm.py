"""Stored findings turned back into the engine's findings, for the
FollowTheMoney export."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from safezones.vendors.models import Finding
from safezones.vendors.screening.engine import Finding as EngineFinding
from safezones.vendors.screening.engine import Hop
from safezones.vendors.screening.reference import Award
from safezones.vendors.screening.severity import Severity


def stored_findings() -> Iterator[EngineFinding]:
    for finding in (
        Finding.objects.filter(current=True).exclude(status=Finding.Status.DISMISSED).select_related("vendor")
    ):
        evidence = finding.evidence or {}
        yield EngineFinding(
            vendor_ref=str(finding.vendor_id),
            vendor=finding.vendor.name,
            entity=finding.entity,
            entity_key=finding.entity_key,
            link=finding.link,
            confidence=finding.confidence,
            severity=Severity.from_code(finding.severity),
            awards=[_award(a) for a in evidence.get("awards", [])],
            claims=evidence.get("claims", []),
            path=[Hop(h["parent"], h["child"], h["source"], h["confidence"]) for h in evidence.get("path", [])],
            via=evidence.get("via", ""),
        )


def _award(data: dict[str, str]) -> Award:
    def day(value: str) -> date | None:
        return date.fromisoformat(value) if value else None

    return Award(
        data["award_id"], Decimal(data["obligated_usd"]), day(data["first_date"]), day(data["last_date"]), None,
        data["description"], data["agency"], data["office"], data["psc"], data["naics"], data["permalink"],
        Severity.from_code(data["severity"]),
    )  # fmt: skip
