"""Vendor review in the demo district: invented vendors, contracts and a small
award extract about invented companies, so the demo shows findings of every
kind. No name here is a real company; the evidence address is a placeholder."""

import io
from datetime import timedelta

from django.utils import timezone

from safezones.schools.actions import SYSTEM_ROLE
from safezones.vendors import actions
from safezones.vendors.contracts import ContractRow
from safezones.vendors.models import Vendor
from safezones.vendors.screening import read_awards

DEMO_AWARDS = """contract_award_unique_key,award_id_piid,total_obligated_amount,period_of_performance_start_date,\
period_of_performance_current_end_date,awarding_agency_code,awarding_agency_name,awarding_sub_agency_code,\
awarding_sub_agency_name,awarding_office_name,recipient_uei,recipient_name,recipient_parent_uei,\
recipient_parent_name,prime_award_base_transaction_description,product_or_service_code,naics_code
DEMO_AWD_1,DEMO70CDCR0001,2400000.00,2024-10-01,2027-09-30,070,DHS,7012,ICE,DETENTION MANAGEMENT,\
DEMOUEI00001,IRONCLAD DETENTION SERVICES LLC,DEMOUEI00009,GRANITE PEAK HOLDINGS INC,\
DETENTION BED SPACE AND GUARD SERVICES,S206,561612
DEMO_AWD_2,DEMO70CMSD0002,480000.00,2025-01-15,2026-01-14,070,DHS,7012,ICE,HOMELAND SECURITY INVESTIGATIONS,\
DEMOUEI00002,LUMEN ROADS ANALYTICS INC,DEMOUEI00009,GRANITE PEAK HOLDINGS INC,\
ACCESS TO LICENSE PLATE READER DATABASE,D317,518210
DEMO_AWD_3,DEMO70CMSD0003,310000.00,2024-06-01,2025-05-31,070,DHS,7012,ICE,ENFORCEMENT AND REMOVAL OPERATIONS,\
DEMOUEI00003,SKYWARD TRANSIT CHARTER LLC,,,REMOVAL FLIGHTS,V1,481211
DEMO_AWD_4,DEMO70B0C0004,95000.00,2025-03-01,2026-02-28,070,DHS,7014,CBP,OFFICE OF ACQUISITION,DEMOUEI00004,\
BEACON RADIO SUPPLY CO,,,PORTABLE RADIOS,5820,334220
"""
DEMO_EVIDENCE = [
    {
        "entity": "Quillfeather Data Brokers",
        "relationship": "data broker",
        "what": "Sells location records to immigration enforcement (invented for the demo).",
        "source_url": "https://example.org/demo/quillfeather",
        "date": "2025-02-01",
        "severity": "surveillance",
    }
]


def load_demo_vendors() -> None:
    """Awards, evidence, contracts and vendor profiles of the demo district, then one screening."""
    today = timezone.localdate()
    actions.load_awards(None, SYSTEM_ROLE, read_awards(io.StringIO(DEMO_AWARDS)), source="demo-awards.csv")
    actions.add_evidence(None, SYSTEM_ROLE, DEMO_EVIDENCE)
    rows = [
        ContractRow(2, "DEMO-2025-014", ["Lumen Roads Analytics, Inc."], title="Campus parking analytics",
                    amount=None, start_date=today - timedelta(days=300), end_date=today + timedelta(days=120)),
        ContractRow(3, "DEMO-2025-021", ["Granite Peak Holdings"], title="Facilities management",
                    start_date=today - timedelta(days=100), end_date=today + timedelta(days=600)),
        ContractRow(4, "DEMO-2025-030", ["Brightleaf Learning Cloud"], title="Gradebook and learning platform",
                    start_date=today - timedelta(days=200), end_date=today + timedelta(days=160)),
        ContractRow(5, "DEMO-2025-033", ["Sunrise School Supplies", "Beacon Radio Supply Co."],
                    title="Classroom supplies and radios (master agreement)"),
        ContractRow(6, "DEMO-2025-040", ["Quillfeather Data Brokers LLC"], title="Enrollment address verification"),
        ContractRow(7, "DEMO-2025-041", ["Northwest Tutoring Partners"], title="After-school tutoring"),
    ]  # fmt: skip
    actions.import_contracts(None, SYSTEM_ROLE, rows)
    brightleaf = Vendor.objects.get(name="Brightleaf Learning Cloud")
    lumen = Vendor.objects.get(name__startswith="Lumen Roads")
    actions.set_vendor_profile(
        None, SYSTEM_ROLE, brightleaf, student_data="records", parent_name="", subprocessors=[lumen]
    )
    actions.run_screening(None, SYSTEM_ROLE)
