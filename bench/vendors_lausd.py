"""Precision and recall of screening a real district list: the LAUSD
Board-approved contracts (test data only, never shipped; from LAUSD Contract
Watch) against the ICE FY2013-2018 transactions (Torn Apart / Separados,
CC BY 4.0), both read from shared/data beside the repository.

The vendors that do appear in the ICE data, as a recipient or through a
parent, were established by hand from the award records (see
docs/vendor-review.md); a flagged vendor outside that list counts as a false
finding. Prints a Markdown section."""

import csv
from collections import defaultdict
from pathlib import Path

from safezones.vendors.screening import ReferenceIndex, VendorRecord, read_awards, screen

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ICE = sorted((DATA / "ice-awards-fy2013-2018").glob("ice_usaspending_fy*.csv"))
LAUSD = DATA / "lausd-contracts" / "lausd_vendor_names.csv"
# The name each known vendor starts with in the LAUSD list. Jacobs Engineering
# Group is the FPDS parent of ICE recipients (Blue Canopy Group, Sytel).
IN_ICE_DATA = {
    "CDW Government LLC",
    "CDW Government",
    "Jacobs Engineering Group",
    "Carahsoft Technology Corporation",
    "Motorola Solutions",
    "Microsoft Corporation",
    "Deloitte Consulting",
    "Ernest & Young",
    "Johnson Controls",
    "Zones Inc.",
    "DLT Solutions",
    "Gartner",
    "AT&T Corp.",
    "Verizon",
    "LexisNexis",
    "Accenture LLP",
}


def short(vendor: str) -> str:
    return vendor.split(",", maxsplit=1)[0].split(" (", maxsplit=1)[0]


def main() -> None:
    if not LAUSD.exists() or not ICE:
        print("The LAUSD list or the ICE data is absent; nothing measured.")
        return
    index = ReferenceIndex()
    for path in ICE:
        with path.open(encoding="utf-8-sig", newline="") as lines:
            for row in read_awards(lines):
                index.add_award(row)
    with LAUSD.open(encoding="utf-8", newline="") as handle:
        vendors = [VendorRecord(str(n), row["vendor"]) for n, row in enumerate(csv.DictReader(handle))]
    findings = screen(vendors, index)
    links: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        links[short(finding.vendor)].add(f"{finding.link} {finding.entity} ({finding.confidence:.2f})")
    flagged = set(links)
    true = flagged & IN_ICE_DATA
    distinct = {short(v.name) for v in vendors}
    print(f"\n## Screening the LAUSD list against the ICE data ({len(distinct)} distinct vendor names)\n")
    print(f"- vendors flagged: {len(flagged)}; in the ICE data: {len(true)} of {len(IN_ICE_DATA)}")
    print(f"- precision (by vendor): {len(true) / max(len(flagged), 1):.3f}")
    print(f"- recall (by vendor): {len(true) / len(IN_ICE_DATA):.3f}")
    print(f"- findings: {len(findings)}\n")
    for vendor in sorted(flagged):
        mark = "" if vendor in IN_ICE_DATA else " (false finding)"
        print(f"- {vendor}{mark}: " + "; ".join(sorted(links[vendor])[:4]))


if __name__ == "__main__":
    main()
