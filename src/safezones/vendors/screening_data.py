"""The stored vendors, awards and evidence, handed to the screening engine."""

from collections.abc import Iterator

from safezones.vendors.models import Award, Evidence, LegalEntityName, OwnershipEdge, Vendor
from safezones.vendors.screening import ReferenceIndex, VendorRecord
from safezones.vendors.screening.awards import AwardRow
from safezones.vendors.screening.reference import OwnershipLink
from safezones.vendors.screening.tables import add_evidence

AWARD_COLUMNS = [
    "key", "award_id", "recipient_name", "recipient_uei", "recipient_duns", "cage_code", "parent_name", "parent_uei",
    "parent_duns", "agency_code", "agency", "sub_agency_code", "sub_agency", "office", "obligated", "action_date",
    "start_date", "end_date", "description", "psc", "psc_description", "naics", "naics_description", "permalink",
    "recipient_alias",
]  # fmt: skip


def build_index() -> ReferenceIndex:
    index = ReferenceIndex()
    for values in Award.objects.order_by("pk").values_list(*AWARD_COLUMNS).iterator(chunk_size=5000):
        index.add_award(AwardRow(*values))
    rows = Evidence.objects.values("entity", "relationship", "what", "source_url", "date", "parent", "severity")
    add_evidence(index, [{k: str(v) for k, v in row.items()} for row in rows])
    if OwnershipEdge.objects.exists():
        names = dict(LegalEntityName.objects.values_list("ref", "name").iterator(chunk_size=5000))
        index.add_ownership(lambda: ownership_links(names))
    return index


def ownership_links(names: dict[str, str]) -> Iterator[OwnershipLink]:
    """The stored GLEIF edges, named where the LEI file gave a name."""
    edges = OwnershipEdge.objects.order_by("pk").values_list("parent_ref", "child_ref", "start_date", "source")
    for parent, child, start, _source in edges.iterator(chunk_size=5000):
        yield OwnershipLink(names.get(parent, ""), names.get(child, ""), parent, child, "gleif", start)


def vendor_records() -> dict[int, VendorRecord]:
    vendors = Vendor.objects.prefetch_related("aliases", "subprocessors").select_related("parent")
    return {
        vendor.pk: VendorRecord(
            ref=str(vendor.pk),
            name=vendor.name,
            aliases=tuple(a.name for a in vendor.aliases.all()),
            parent=vendor.parent.name if vendor.parent else vendor.parent_name,
            uei=vendor.uei,
            duns=vendor.duns,
            cage=vendor.cage,
            student_data=vendor.student_data,
            subprocessors=tuple(s.name for s in vendor.subprocessors.all()),
        )
        for vendor in vendors
    }
