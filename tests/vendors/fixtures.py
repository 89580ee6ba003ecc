"""Small award files written for the tests: fictional companies in the two
USAspending layouts."""

SUMMARY_HEADER = (
    "contract_award_unique_key,award_id_piid,total_obligated_amount,period_of_performance_start_date,"
    "period_of_performance_current_end_date,awarding_agency_code,awarding_agency_name,awarding_sub_agency_code,"
    "awarding_sub_agency_name,awarding_office_name,recipient_uei,recipient_duns,recipient_name,"
    "recipient_doing_business_as_name,cage_code,recipient_parent_uei,recipient_parent_duns,recipient_parent_name,"
    "prime_award_base_transaction_description,product_or_service_code,product_or_service_code_description,"
    "naics_code,naics_description,usaspending_permalink"
)
SUMMARY_ROWS = [
    "CONT_AWD_1,70CDCR24C0001,1500000.00,2024-01-01,2026-12-31,070,DHS,7012,ICE,DETENTION COMPLIANCE AND REMOVALS,"
    "AAAABBBBCCC1,,NORTHEASTERN UNIVERSITY,,,,,,RESEARCH ON DETENTION STANDARDS,R408,SUPPORT,541720,RESEARCH,"
    "https://www.usaspending.gov/award/CONT_AWD_1/",
    "CONT_AWD_2,70CMSD24C0002,250000.00,2024-02-01,2025-01-31,070,DHS,7012,ICE,HOMELAND SECURITY INVESTIGATIONS,"
    "UEIDATAPATH1,,PLATEWATCH DATA LLC,,,UEIPARENT001,,HALCYON HOLDINGS INC,ACCESS TO LICENSE PLATE READER DATABASE,"
    "D317,IT,518210,HOSTING,https://www.usaspending.gov/award/CONT_AWD_2/",
    "CONT_AWD_3,70B03C24C0003,90000.00,2024-03-01,2025-03-01,070,DHS,7014,CBP,OFFICE OF ACQUISITION,"
    "UEIRADIO0001,,MOTOROLA SOLUTIONS ISRAEL LTD,,,,,,PORTABLE RADIOS,5820,RADIO,334220,RADIO,",
    "CONT_AWD_4,FEMA0004,10.00,2024-03-01,2025-03-01,070,DHS,7022,FEMA,OFFICE,UEIFEMA00001,,ANYCO,,,,,,TENTS,,,,,",
]
TRANSACTION_HEADER = (
    "award_id_piid,modification_number,transaction_number,parent_award_id,federal_action_obligation,action_date,"
    "period_of_performance_start_date,period_of_performance_current_end_date,awarding_agency_code,"
    "awarding_sub_agency_code,awarding_sub_agency_name,awarding_office_name,recipient_duns,recipient_name,"
    "recipient_doing_business_as_name,cage_code,recipient_parent_name,recipient_parent_duns,award_description,"
    "product_or_service_code,naics_code"
)
TRANSACTION_ROWS = [
    "HSCEDM15C0001,0,,,400000,27/03/2015,27/03/15 00:00,,70,7012,ICE,DETENTION MANAGEMENT,12345,"
    "CASTLEROCK TRANSPORT INC,,1AB23,HALCYON HOLDINGS INC,98765,DETAINEE TRANSPORTATION,V225,485999",
    "HSCEDM15C0001,P00001,,,-50000,01/10/2015,,,70,7012,ICE,DETENTION MANAGEMENT,12345,"
    "CASTLEROCK TRANSPORT INC,,1AB23,HALCYON HOLDINGS INC,98765,DETAINEE TRANSPORTATION,V225,485999",
    "HSCEMD16C0002,0,,,75000,02/02/2016,,,70,7012,ICE,MISSION SUPPORT,55555,"
    "SKYLINE CHARTER LLC,,,HALCYON HOLDINGS INC,98765,REMOVAL FLIGHTS,V1,481211",
]


def summary_csv() -> str:
    return "\n".join([SUMMARY_HEADER, *SUMMARY_ROWS]) + "\n"


def transactions_csv() -> str:
    return "\n".join([TRANSACTION_HEADER, *TRANSACTION_ROWS]) + "\n"


# GLEIF golden-copy files (the columns as GLEIF publishes them, fewer of them),
# about fictional companies with made-up LEIs.
PLATEWATCH_LEI, MERIDIAN_LEI, BRIGHTPATH_LEI = "5299000PLATEWATCH001", "5299000MERIDIANGRP02", "5299000BRIGHTPATH003"
GLEIF_RR_HEADER = (
    "Relationship.StartNode.NodeID,Relationship.StartNode.NodeIDType,Relationship.EndNode.NodeID,"
    "Relationship.EndNode.NodeIDType,Relationship.RelationshipType,Relationship.RelationshipStatus,"
    "Relationship.Period.1.startDate,Relationship.Period.1.endDate,Relationship.Period.1.periodType,"
    "Relationship.Period.2.startDate,Relationship.Period.2.endDate,Relationship.Period.2.periodType,"
    "Registration.InitialRegistrationDate,Registration.LastUpdateDate,Registration.RegistrationStatus,"
    "Registration.ManagingLOU"
)
GLEIF_RR_ROWS = [
    f"{PLATEWATCH_LEI},LEI,{MERIDIAN_LEI},LEI,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2023-01-01T00:00:00Z,"
    "2023-12-31T00:00:00Z,ACCOUNTING_PERIOD,2019-06-01T00:00:00Z,,RELATIONSHIP_PERIOD,2019-06-02T00:00:00Z,"
    "2024-01-05T00:00:00Z,PUBLISHED,5299000LOU0000000001",
    f"{BRIGHTPATH_LEI},LEI,{MERIDIAN_LEI},LEI,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2021-03-01T00:00:00Z,,"
    "RELATIONSHIP_PERIOD,,,,2021-03-02T00:00:00Z,2024-01-05T00:00:00Z,PUBLISHED,5299000LOU0000000001",
    f"5299000OLDSUBSID0004,LEI,{MERIDIAN_LEI},LEI,IS_DIRECTLY_CONSOLIDATED_BY,INACTIVE,2010-01-01T00:00:00Z,"
    "2015-01-01T00:00:00Z,RELATIONSHIP_PERIOD,,,,2010-01-02T00:00:00Z,2015-01-05T00:00:00Z,PUBLISHED,5299000LOU0000000001",
    f"5299000SOMEFUND00005,LEI,{MERIDIAN_LEI},LEI,IS_FUND-MANAGED_BY,ACTIVE,,,,,,,2020-01-02T00:00:00Z,"
    "2024-01-05T00:00:00Z,PUBLISHED,5299000LOU0000000001",
    "5299000UNRELATED0006,LEI,5299000UNRELATED0007,LEI,IS_ULTIMATELY_CONSOLIDATED_BY,ACTIVE,,,,,,,"
    "2020-01-02T00:00:00Z,2024-01-05T00:00:00Z,PUBLISHED,5299000LOU0000000001",
]
GLEIF_LEI_HEADER = "LEI,Entity.LegalName,Entity.LegalName.xmllang,Entity.LegalAddress.Country,Entity.EntityStatus"
GLEIF_LEI_ROWS = [
    f"{PLATEWATCH_LEI},PLATEWATCH DATA LLC,en,US,ACTIVE",
    f'{MERIDIAN_LEI},"Meridian Group, PLC",en,GB,ACTIVE',
    f"{BRIGHTPATH_LEI},Brightpath Learning Inc.,en,US,ACTIVE",
    "5299000UNRELATED0006,Quiet Harbor Bakery LLC,en,US,ACTIVE",
    "5299000NOTINEDGES008,Nobody Else Inc.,en,US,ACTIVE",
]


def gleif_relationships_csv() -> str:
    return "\n".join([GLEIF_RR_HEADER, *GLEIF_RR_ROWS]) + "\n"


def gleif_entities_csv() -> str:
    return "\n".join([GLEIF_LEI_HEADER, *GLEIF_LEI_ROWS]) + "\n"
