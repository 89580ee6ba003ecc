"""Every change in vendor review goes through these functions: each takes the
acting person and their role, runs in one transaction and records an audit event."""

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safezones.audit.actions import record
from safezones.lib import crypto
from safezones.vendors.contracts import ContractRow
from safezones.vendors.models import (
    Award,
    Contract,
    Evidence,
    Finding,
    LegalEntityName,
    OwnershipEdge,
    PendingUpload,
    Vendor,
    VendorAlias,
)
from safezones.vendors.screening.awards import AwardRow
from safezones.vendors.screening.gleif import Relationship
from safezones.vendors.screening.names import name_key, parse_name
from safezones.vendors.terms import TERMS

if TYPE_CHECKING:
    from safezones.accounts.models import User

AWARD_BATCH = 2000
GLEIF = "GLEIF"
UPLOAD_HOURS = 2  # a file waiting for its columns to be confirmed is kept this long
AWARD_FIELDS = [
    "award_id", "recipient_name", "recipient_alias", "recipient_uei", "recipient_duns", "cage_code", "parent_name",
    "parent_uei", "parent_duns", "agency_code", "agency", "sub_agency_code", "sub_agency", "office", "obligated",
    "action_date", "start_date", "end_date", "description", "psc", "psc_description", "naics", "naics_description",
    "permalink", "source_file",
]  # fmt: skip


class NotCompliantError(ValueError):
    """A vendor cannot be marked compliant while a required term is missing."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass
class ContractSummary:
    created: int = 0
    updated: int = 0
    vendors_created: int = 0
    skipped_lines: list[int] = field(default_factory=list)


def vendor_key(name: str) -> str:
    return " ".join(sorted(name_key(parse_name(name).name).tokens)) or name.strip().casefold()


def find_or_create_vendor(name: str) -> tuple[Vendor, bool]:
    parsed = parse_name(name)
    vendor, created = Vendor.objects.get_or_create(
        key=vendor_key(name)[:300],
        defaults={"name": parsed.name[:300] or name[:300], "parent_name": parsed.parent[:300]},
    )
    for alias in parsed.aliases:
        VendorAlias.objects.get_or_create(vendor=vendor, name=alias[:300])
    return vendor, created


def import_contracts(
    actor: "User | None", role: str, rows: list[ContractRow], skipped: Iterable[int] = ()
) -> ContractSummary:
    """Apply rows that were all checked; a known contract number is updated."""
    summary = ContractSummary(skipped_lines=list(skipped))
    with transaction.atomic():
        for row in rows:
            vendors = []
            for name in row.vendors:
                vendor, created = find_or_create_vendor(name)
                vendors.append(vendor)
                summary.vendors_created += created
            defaults = {
                "title": row.title[:500], "amount": row.amount, "start_date": row.start_date, "end_date": row.end_date,
                "department": row.department[:300], "category": row.category[:200], "description": row.description,
            }  # fmt: skip
            contract, created = Contract.objects.update_or_create(number=row.number[:100], defaults=defaults)
            contract.vendors.set(vendors)
            summary.created += created
            summary.updated += not created
        record(
            actor, "vendors.contracts.import", role=role, object_type="vendors.contract", object_id=f"{len(rows)} rows"
        )
    return summary


def load_awards(actor: "User | None", role: str, rows: Iterable[AwardRow], source: str = "") -> int:
    """Store award rows in batches, in one transaction: a file that fails
    half-way changes nothing. A row already known (same key) is updated."""
    count = 0
    with transaction.atomic():
        batch: list[Award] = []
        for row in rows:
            batch.append(_award(row, source))
            if len(batch) >= AWARD_BATCH:
                count += _store(batch)
                batch = []
        count += _store(batch)
        record(
            actor,
            "vendors.awards.load",
            role=role,
            object_type="vendors.award",
            object_id=f"{count} rows {source}"[:64],
        )
    return count


def _award(row: AwardRow, source: str) -> Award:
    return Award(
        key=row.key[:300], award_id=row.award_id[:100], recipient_name=row.recipient_name[:300],
        recipient_alias=row.recipient_alias[:300], recipient_uei=row.recipient_uei[:12],
        recipient_duns=row.recipient_duns[:9], cage_code=row.cage_code[:5], parent_name=row.parent_name[:300],
        parent_uei=row.parent_uei[:12], parent_duns=row.parent_duns[:9], agency_code=row.agency_code[:10],
        agency=row.agency[:200], sub_agency_code=row.sub_agency_code[:10], sub_agency=row.sub_agency[:200],
        office=row.office[:200], obligated=row.obligated, action_date=row.action_date, start_date=row.start_date,
        end_date=row.end_date, description=row.description, psc=row.psc[:10], psc_description=row.psc_description[:300],
        naics=row.naics[:10], naics_description=row.naics_description[:300], permalink=row.permalink[:300],
        source_file=source[:300],
    )  # fmt: skip


def _store(batch: list[Award]) -> int:
    if not batch:
        return 0
    unique = list({award.key: award for award in batch}.values())
    Award.objects.bulk_create(unique, update_conflicts=True, unique_fields=["key"], update_fields=AWARD_FIELDS)
    return len(batch)


def add_evidence(actor: "User | None", role: str, rows: list[dict[str, str]]) -> int:
    with transaction.atomic():
        for row in rows:
            Evidence.objects.update_or_create(
                entity=row["entity"][:300],
                source_url=row["source_url"][:500],
                defaults={
                    "relationship": row["relationship"][:200], "what": row["what"], "date": row["date"][:20],
                    "parent": row.get("parent", "")[:300], "severity": row.get("severity", "")[:20],
                },
            )  # fmt: skip
        record(
            actor, "vendors.evidence.import", role=role, object_type="vendors.evidence", object_id=f"{len(rows)} rows"
        )
    return len(rows)


def decide_finding(actor: "User", role: str, finding: Finding, *, status: str, reason: str) -> Finding:
    if status not in (Finding.Status.CONFIRMED, Finding.Status.DISMISSED, Finding.Status.OPEN):
        raise ValueError(status)
    with transaction.atomic():
        finding.status, finding.reason = status, reason
        finding.decided_by, finding.decided_at = actor, timezone.now()
        finding.decided_digest = finding.evidence_digest
        finding.save(update_fields=["status", "reason", "decided_by", "decided_at", "decided_digest"])
        record(actor, f"vendors.finding.{status}", finding, role=role)
    return finding


def set_vendor_profile(
    actor: "User | None", role: str, vendor: Vendor, *, student_data: str, parent_name: str,
    subprocessors: list[Vendor],
    uei: str = "", duns: str = "", cage: str = "", ein: str = "",
) -> Vendor:  # fmt: skip
    with transaction.atomic():
        vendor.student_data, vendor.parent_name = student_data, parent_name
        vendor.uei, vendor.duns, vendor.cage, vendor.ein = uei.upper(), duns, cage.upper(), ein
        vendor.full_clean()
        vendor.save()
        vendor.subprocessors.set([s for s in subprocessors if s.pk != vendor.pk])
        record(actor, "vendors.vendor.update", vendor, role=role)
    return vendor


def set_contract_terms(actor: "User", role: str, vendor: Vendor, present: set[str], *, compliant: bool) -> Vendor:
    """Record which required terms the vendor's contract has; marking the vendor
    compliant with a term missing is refused and changes nothing."""
    missing = [code for code in TERMS if code not in present]
    if compliant and missing:
        raise NotCompliantError(missing)
    with transaction.atomic():
        for code in TERMS:
            vendor.terms.update_or_create(code=code, defaults={"present": code in present})
        vendor.compliant_on = timezone.localdate() if compliant else None
        vendor.save(update_fields=["compliant_on"])
        record(actor, "vendors.terms.compliant" if compliant else "vendors.terms.update", vendor, role=role)
    return vendor


def renewal_cutoff(today: date, days: int = 180) -> date:
    from datetime import timedelta

    return today + timedelta(days=days)


@dataclass
class ScreeningSummary:
    vendors: int = 0
    findings: int = 0
    new: int = 0
    reopened: int = 0


def run_screening(actor: "User | None", role: str, *, threshold: float | None = None) -> ScreeningSummary:
    """Screen every vendor against the stored awards and evidence. Decisions
    survive: a decided finding keeps its decision while its evidence is the
    same; a dismissed one whose evidence changed is open for review again."""
    from safezones.vendors.screening import THRESHOLD, screen
    from safezones.vendors.screening.tables import finding_json
    from safezones.vendors.screening_data import build_index, vendor_records

    index = build_index()
    records = vendor_records()
    found = screen(records.values(), index, threshold=threshold or THRESHOLD)
    summary = ScreeningSummary(vendors=len(records), findings=len(found))
    now = timezone.now()
    with transaction.atomic():
        existing = {(f.vendor_id, f.entity_key): f for f in Finding.objects.select_for_update()}
        kept: set[int] = set()
        for item in found:
            vendor_id = int(item.vendor_ref)
            finding = existing.get((vendor_id, item.entity_key)) or Finding(
                vendor_id=vendor_id, entity_key=item.entity_key
            )
            summary.new += finding.pk is None
            digest = item.evidence_digest
            if finding.status == Finding.Status.DISMISSED and finding.decided_digest != digest:
                finding.status = Finding.Status.OPEN
                summary.reopened += 1
            finding.entity, finding.link, finding.confidence = item.entity[:300], item.link, item.confidence
            finding.severity, finding.award_ids, finding.obligated = item.severity.code, item.award_ids, item.obligated
            finding.evidence, finding.explanation = finding_json(item), item.explanation
            finding.evidence_digest, finding.current, finding.screened_at = digest, True, now
            finding.save()
            kept.add(finding.pk)
        Finding.objects.exclude(pk__in=kept).update(current=False)
        record(actor, "vendors.screen", role=role, object_type="vendors.finding", object_id=f"{len(found)} findings")
    return summary


def save_mapping(actor: "User", role: str, name: str, columns: dict[str, str]) -> None:
    from safezones.vendors.models import ColumnMapping

    with transaction.atomic():
        mapping, _created = ColumnMapping.objects.update_or_create(name=name, defaults={"columns": columns})
        record(actor, "vendors.mapping.save", mapping, role=role)


def load_ownership(actor: "User | None", role: str, rows: Iterable[Relationship], source: str = "") -> int:
    """Store GLEIF relationships as ownership edges, in batches, in one
    transaction; a relationship already known is updated."""
    count = 0
    with transaction.atomic():
        batch: dict[tuple[str, str, str], OwnershipEdge] = {}
        for row in rows:
            edge = OwnershipEdge(
                source=GLEIF, parent_ref=f"lei:{row.parent_lei}"[:100], child_ref=f"lei:{row.child_lei}"[:100],
                relationship=row.kind[:60], start_date=row.start[:10], end_date=row.end[:10], source_file=source[:300],
            )  # fmt: skip
            batch[(edge.parent_ref, edge.child_ref, edge.relationship)] = edge
            count += 1
            if len(batch) >= AWARD_BATCH:
                _store_edges(list(batch.values()))
                batch = {}
        _store_edges(list(batch.values()))
        record(actor, "vendors.ownership.load", role=role, object_type="vendors.ownership", object_id=f"{count} rows")
    return count


def _store_edges(batch: list[OwnershipEdge]) -> None:
    if batch:
        OwnershipEdge.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["source", "parent_ref", "child_ref", "relationship"],
            update_fields=["start_date", "end_date", "source_file"],
        )


def gleif_leis() -> set[str]:
    """The LEIs the stored GLEIF edges name, whose legal names are wanted."""
    refs = OwnershipEdge.objects.filter(source=GLEIF).values_list("parent_ref", "child_ref").iterator(chunk_size=5000)
    return {ref.removeprefix("lei:") for pair in refs for ref in pair}


def load_entity_names(actor: "User | None", role: str, names: Iterable[tuple[str, str]]) -> int:
    """Store the legal names of LEIs (from GLEIF's level-1 file)."""
    count = 0
    with transaction.atomic():
        batch: dict[str, LegalEntityName] = {}
        for lei, name in names:
            batch[f"lei:{lei}"] = LegalEntityName(ref=f"lei:{lei}"[:100], name=name[:300])
            count += 1
            if len(batch) >= AWARD_BATCH:
                _store_names(list(batch.values()))
                batch = {}
        _store_names(list(batch.values()))
        record(actor, "vendors.ownership.names", role=role, object_type="vendors.ownership", object_id=f"{count} names")
    return count


def _store_names(batch: list[LegalEntityName]) -> None:
    if batch:
        LegalEntityName.objects.bulk_create(batch, update_conflicts=True, unique_fields=["ref"], update_fields=["name"])


def keep_upload(actor: "User", name: str, data: bytes) -> str:
    """Keep an uploaded contract file, encrypted, until its columns are
    confirmed; returns the key (URL-safe text) that only the form carries.
    Files older than UPLOAD_HOURS are destroyed on the way."""
    from datetime import timedelta

    key = crypto.new_key()
    token = base64.urlsafe_b64encode(key).decode("ascii")
    now = timezone.now()
    with transaction.atomic():
        PendingUpload.objects.filter(created_at__lt=now - timedelta(hours=UPLOAD_HOURS)).delete()
        PendingUpload.objects.create(
            lookup=crypto.token_digest(token), owner=actor, name=name[:300],
            data=crypto.encrypt(key, data, f"vendors:upload:{actor.pk}"), created_at=now,
        )  # fmt: skip
    return token


def kept_upload(actor: "User", token: str) -> tuple[str, bytes] | None:
    """The file kept under this key for this person, or None when it expired or is not theirs."""
    from datetime import timedelta

    upload = PendingUpload.objects.filter(
        lookup=crypto.token_digest(token),
        owner=actor,
        created_at__gte=timezone.now() - timedelta(hours=UPLOAD_HOURS),
    ).first()
    if upload is None:
        return None
    try:
        key = base64.urlsafe_b64decode(token.encode("ascii"))
        return upload.name, crypto.decrypt(key, bytes(upload.data), f"vendors:upload:{actor.pk}")
    except (ValueError, crypto.DecryptionError):
        return None


def drop_upload(actor: "User", token: str) -> None:
    PendingUpload.objects.filter(lookup=crypto.token_digest(token), owner=actor).delete()
