"""Files in and out of screening: a vendor list, curated evidence, and the
findings as CSV, JSON or FollowTheMoney entities (JSON lines)."""

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

import yaml

from safezones.vendors.screening.engine import NO_STUDENT_DATA, Finding, VendorRecord
from safezones.vendors.screening.reference import Claim, ReferenceIndex
from safezones.vendors.screening.severity import Severity

NAME_COLUMNS = ("vendor", "vendor_name", "name", "supplier")
FINDING_COLUMNS = [
    "vendor", "entity", "link", "confidence", "severity", "award_ids", "obligated_usd",
    "first_date", "last_date", "via", "explanation", "permalinks", "sources",
]  # fmt: skip
STUDENT_DATA = ("none", "directory", "records", "sensitive")


class TableError(ValueError):
    pass


def read_vendor_table(lines: Iterable[str], name_column: str = "") -> Iterator[VendorRecord]:
    reader = csv.DictReader(lines)
    header = {(name or "").strip().lower(): name for name in reader.fieldnames or [] if name}
    column = name_column.strip().lower() or next((c for c in NAME_COLUMNS if c in header), "")
    if column not in header:
        wanted = name_column or ", ".join(NAME_COLUMNS)
        raise TableError(f"no vendor name column: looked for {wanted}; the header has {', '.join(header)}")

    def cell(raw: dict[str, Any], name: str) -> str:
        return str(raw.get(header.get(name, ""), "") or "").strip()

    for raw in reader:
        name = cell(raw, column)
        if not name:
            continue
        student_data = cell(raw, "student_data").lower() or NO_STUDENT_DATA
        yield VendorRecord(
            ref=str(reader.line_num),
            name=name,
            aliases=tuple(a.strip() for a in cell(raw, "aliases").split(";") if a.strip()),
            parent=cell(raw, "parent"),
            uei=cell(raw, "uei").upper(),
            duns=cell(raw, "duns").zfill(9) if cell(raw, "duns").isdigit() else "",
            cage=cell(raw, "cage").upper(),
            student_data=student_data if student_data in STUDENT_DATA else NO_STUDENT_DATA,
            subprocessors=tuple(s.strip() for s in cell(raw, "subprocessors").split(";") if s.strip()),
        )


def read_evidence(text: str, *, yaml_file: bool) -> list[tuple[int, dict[str, str]]]:
    """Curated evidence rows (entity, relationship, what, source_url, date,
    optionally parent and severity), each with its line or item number."""
    if yaml_file:
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError:
            raise TableError("the file is not readable YAML") from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise TableError("the YAML file must be a list of entries")
        return [(n, {str(k).lower(): str(v or "").strip() for k, v in item.items()}) for n, item in enumerate(data, 1)]
    reader = csv.DictReader(text.splitlines())
    rows = []
    for raw in reader:
        rows.append((reader.line_num, {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}))
    return rows


def evidence_problems(row: dict[str, str]) -> list[str]:
    problems = [
        f"{name} is empty" for name in ("entity", "relationship", "what", "source_url", "date") if not row.get(name)
    ]
    if row.get("source_url") and not row["source_url"].startswith(("https://", "http://")):
        problems.append("source_url must be a web address")
    if row.get("severity") and row["severity"] not in {s.code for s in Severity}:
        problems.append("severity must be detention, surveillance, operations or other")
    return problems


def add_evidence(index: ReferenceIndex, rows: Iterable[dict[str, str]]) -> None:
    for row in rows:
        severity = Severity.from_code(row["severity"]) if row.get("severity") else Severity.OTHER
        claim = Claim(row["entity"], row["relationship"], row["what"], row["source_url"], row["date"], severity)
        index.add_claim(claim, row.get("parent", ""))


def finding_row(finding: Finding) -> dict[str, str]:
    return {
        "vendor": finding.vendor,
        "entity": finding.entity,
        "link": finding.link,
        "confidence": f"{finding.confidence:.3f}",
        "severity": finding.severity.code,
        "award_ids": ";".join(finding.award_ids),
        "obligated_usd": f"{finding.obligated:.2f}",
        "first_date": finding.first_date.isoformat() if finding.first_date else "",
        "last_date": finding.last_date.isoformat() if finding.last_date else "",
        "via": finding.via,
        "explanation": finding.explanation,
        "permalinks": ";".join(a.permalink for a in finding.awards if a.permalink),
        "sources": ";".join(c["source_url"] for c in finding.claims),
    }


def write_csv(findings: Iterable[Finding], out: IO[str]) -> int:
    writer = csv.DictWriter(out, FINDING_COLUMNS)
    writer.writeheader()
    count = 0
    for finding in findings:
        writer.writerow(finding_row(finding))
        count += 1
    return count


def finding_json(finding: Finding) -> dict[str, Any]:
    row: dict[str, Any] = finding_row(finding)
    row["award_ids"] = finding.award_ids
    row["awards"] = [
        {
            "award_id": a.award_id,
            "obligated_usd": f"{a.obligated:.2f}",
            "first_date": a.first_date.isoformat() if a.first_date else "",
            "last_date": a.last_date.isoformat() if a.last_date else "",
            "description": a.description,
            "agency": a.sub_agency,
            "office": a.office,
            "psc": a.psc,
            "naics": a.naics,
            "severity": a.severity.code,
            "permalink": a.permalink,
        }
        for a in finding.awards
    ]
    row["claims"] = finding.claims
    row["path"] = [
        {"parent": h.parent, "child": h.child, "source": h.source, "confidence": h.confidence} for h in finding.path
    ]
    return row


def write_json(findings: Iterable[Finding], out: IO[str]) -> int:
    rows = [finding_json(f) for f in findings]
    json.dump(rows, out, indent=2, ensure_ascii=False)
    return len(rows)


# ---- FollowTheMoney -------------------------------------------------------
def ftm_entities(findings: Iterable[Finding], authority: str = "") -> Iterator[dict[str, Any]]:
    """Each finding as FtM entities: the two companies, a Contract and
    ContractAward per federal award, Ownership for each hop, and an
    UnknownLink from vendor to entity carrying the link type and reasons."""
    seen: set[str] = set()

    def once(entity: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if entity["id"] not in seen:
            seen.add(entity["id"])
            yield entity

    for finding in findings:
        vendor_id = _id("vendor", finding.vendor)
        entity_id = _id("entity", finding.entity_key)
        vendor_props = {"name": [finding.vendor]}
        if authority:
            vendor_props["notes"] = [f"Vendor of {authority}"]
        yield from once({"id": vendor_id, "schema": "Company", "properties": vendor_props})
        yield from once({"id": entity_id, "schema": "Company", "properties": _entity_props(finding)})
        for award in finding.awards:
            contract_id = _id("contract", award.award_id)
            agency_id = _id("agency", award.sub_agency)
            yield from once({"id": agency_id, "schema": "PublicBody", "properties": {"name": [award.sub_agency]}})
            yield from once(
                {
                    "id": contract_id,
                    "schema": "Contract",
                    "properties": {
                        "title": [award.description or award.award_id],
                        "authority": [agency_id],
                        "procedureNumber": [award.award_id],
                        "classification": [c for c in (award.psc, award.naics) if c],
                    },
                }
            )
            award_props: dict[str, list[str]] = {
                "supplier": [entity_id],
                "contract": [contract_id],
                "amount": [f"{award.obligated:.2f}"],
                "currency": ["USD"],
            }
            if award.first_date:
                award_props["startDate"] = [award.first_date.isoformat()]
            if award.permalink:
                award_props["sourceUrl"] = [award.permalink]
            yield from once(
                {"id": _id("award", entity_id + award.award_id), "schema": "ContractAward", "properties": award_props}
            )
        for hop in finding.path:
            props = {"owner": [_id("name", hop.parent)], "asset": [_id("name", hop.child)], "role": [hop.source]}
            yield from once({"id": _id("name", hop.parent), "schema": "Company", "properties": {"name": [hop.parent]}})
            yield from once({"id": _id("name", hop.child), "schema": "Company", "properties": {"name": [hop.child]}})
            yield from once(
                {"id": _id("own", hop.parent + ">" + hop.child), "schema": "Ownership", "properties": props}
            )
        yield {
            "id": _id("finding", vendor_id + entity_id + finding.link),
            "schema": "UnknownLink",
            "properties": {
                "subject": [vendor_id],
                "object": [entity_id],
                "role": [f"{finding.link} ({finding.severity.code}, confidence {finding.confidence:.2f})"],
                "description": [finding.explanation],
                "sourceUrl": [c["source_url"] for c in finding.claims],
            },
        }


def _entity_props(finding: Finding) -> dict[str, list[str]]:
    props = {"name": [finding.entity]}
    scheme, _, value = finding.entity_key.partition(":")
    if scheme == "uei":
        props["uniqueEntityId"] = [value]
    elif scheme == "duns":
        props["dunsCode"] = [value]
    return props


def _id(kind: str, text: str) -> str:
    return f"sz-{kind}-" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def write_ftm(findings: Iterable[Finding], out: IO[str], authority: str = "") -> int:
    count = 0
    for entity in ftm_entities(findings, authority):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
