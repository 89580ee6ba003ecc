from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import Field, StrictStr

from safezones.lib.api_errors import READ_ERRORS, WRITE_ERRORS
from safezones.schools import access
from safezones.schools.access import Capability
from safezones.vendors import actions, queries
from safezones.vendors.models import Finding


class FindingOut(Schema):
    id: int
    vendor: str
    entity: str
    link: str
    confidence: float
    severity: str
    award_ids: list[str]
    obligated_usd: str
    status: str
    explanation: str

    @staticmethod
    def of(finding: Finding) -> "FindingOut":
        return FindingOut(
            id=finding.pk,
            vendor=finding.vendor.name,
            entity=finding.entity,
            link=finding.link,
            confidence=finding.confidence,
            severity=finding.severity,
            award_ids=list(finding.award_ids),
            obligated_usd=f"{finding.obligated:.2f}",
            status=finding.status,
            explanation=finding.explanation,
        )


class DecisionIn(Schema):
    status: Literal["confirmed", "dismissed"]
    reason: StrictStr = Field(min_length=1, max_length=2000)


router = Router()


@router.get("/findings", response={200: list[FindingOut], **READ_ERRORS}, summary="Current vendor findings")
def list_findings(request: HttpRequest, status: str = "") -> list[FindingOut]:
    access.require(request.user, Capability.VIEW_VENDOR_FINDINGS)
    status = status if status in Finding.Status.values else ""
    return [FindingOut.of(f) for f in queries.findings_to_review(status)[:1000]]


@router.post(
    "/findings/{finding_id}/decision", response={200: FindingOut, **WRITE_ERRORS}, summary="Confirm or dismiss"
)
def decide(request: HttpRequest, finding_id: int, payload: DecisionIn) -> FindingOut:
    access.require(request.user, Capability.REVIEW_VENDORS)
    role = access.granting_role(request.user, Capability.REVIEW_VENDORS) or ""
    finding = get_object_or_404(Finding.objects.select_related("vendor"), pk=finding_id)
    actions.decide_finding(request.user, role, finding, status=payload.status, reason=payload.reason)  # type: ignore[arg-type]
    return FindingOut.of(finding)
