import io
from datetime import date
from decimal import Decimal

import pytest

from safezones.vendors.screening import ReferenceIndex, Severity, VendorRecord, classify, read_awards, screen
from safezones.vendors.screening.awards import AwardFileError, pad_duns, parse_date
from safezones.vendors.screening.matching import TokenWeights, compare
from safezones.vendors.screening.names import name_key, parse_name
from tests.vendors.fixtures import summary_csv, transactions_csv


def _index() -> ReferenceIndex:
    index = ReferenceIndex()
    for text in (summary_csv(), transactions_csv()):
        for row in read_awards(io.StringIO(text)):
            index.add_award(row)
    return index


def _weights(*names: str) -> TokenWeights:
    weights = TokenWeights()
    for name in names:
        weights.add(name_key(name))
    return weights


def test_northwestern_is_not_northeastern():
    weights = _weights("Northwestern University", "Northeastern University", "Stanford University")
    match = compare(name_key("Northwestern University"), name_key("NORTHEASTERN UNIVERSITY"), weights)
    assert match.score < 0.6
    assert ("northwestern", "northeastern") in match.guarded


def test_a_subset_name_is_not_automatically_equal():
    weights = _weights("Motorola", "Motorola Solutions Israel", "Israel Aerospace", "Solutions Group")
    assert compare(name_key("Motorola"), name_key("MOTOROLA SOLUTIONS ISRAEL LTD"), weights).score < 0.85


def test_legal_forms_word_order_and_initials_do_not_matter():
    weights = _weights("x")
    assert compare(name_key("H. L. Dalis, Inc."), name_key("HL DALIS INCORPORATED"), weights).score == 1.0
    assert compare(name_key("County of Santa Clara"), name_key("SANTA CLARA, COUNTY OF"), weights).score == 1.0
    assert compare(name_key("AT&T Corp."), name_key("AT&T INC."), weights).score == 1.0


def test_a_typo_in_a_long_word_still_pairs():
    weights = _weights("Ernst & Young", "Ernest & Young")
    assert compare(name_key("Ernest & Young, LLP"), name_key("ERNST AND YOUNG LLP"), weights).score >= 0.85


def test_a_typo_in_a_short_word_pairs_but_another_letter_does_not():
    weights = _weights("Stat Courier", "Herman Miller", "Miller Heiman", "Haaps Museum")
    # A letter dropped or two neighbours swapped is a typo...
    assert compare(name_key("Haaps Museum"), name_key("HANAPS MUSEUM LLC"), weights).score >= 0.85
    assert compare(name_key("Stat Coureir"), name_key("STAT COURIER INC"), weights).score >= 0.85
    # ...one letter replaced makes another name.
    match = compare(name_key("Miller-Heiman"), name_key("Herman Miller"), weights)
    assert match.score < 0.85


def test_a_word_cut_short_pairs_only_at_the_end_of_its_name():
    weights = _weights("Globalstar", "Global Tech", "Applications International")
    assert compare(name_key("GLOBALSTAR INC."), name_key("GLOBAL TECH INC."), weights).score < 0.85
    assert compare(name_key("APPLICATIONS INTERNATIONAL"), name_key("INTERNATIONAL APPLICATI"), weights).score >= 0.85


def test_series_numbers_tell_funds_apart():
    weights = _weights("Veritas Capital Fund", "Veritas Capital Fund Management", "Hit Portfolio")
    assert name_key("The Veritas Capital Fund II").tokens[-1] == "ii"
    fund = compare(name_key("The Veritas Capital Fund II"), name_key("Veritas Capital Fund Management"), weights)
    assert fund.score < 0.85
    assert compare(name_key("Hit Portfolio II"), name_key("HIT PORTFOLIO II LLC"), weights).score == 1.0


def test_an_acronym_pairs_with_the_words_it_spells():
    weights = _weights("Corporate Executive Board", "Delany Siegel Zorn Associates", "Board Games")
    match = compare(name_key("CEB"), name_key("CORPORATE EXECUTIVE BOARD COMPANY, THE"), weights)
    assert match.score >= 0.85
    assert "ceb~corporate executive board" in match.explain()
    assert compare(name_key("DSZ & ASSOCIATES"), name_key("Delany, Siegel, Zorn & Associates"), weights).score >= 0.85
    # Two letters spell too many names; letters out of order spell nothing.
    assert compare(name_key("DS Associates"), name_key("Daigger Scientific"), weights).score < 0.85
    assert compare(name_key("BCE"), name_key("Corporate Executive Board"), weights).score < 0.85


def test_an_alias_that_only_abbreviates_the_vendor_is_not_searched_alone():
    index = ReferenceIndex()
    rows = "recipient_name,awarding_sub_agency_code,award_id_piid,federal_action_obligation\n"
    rows += "ACTION WORKPLACE SERVICES,7012,HSCE1,100\n"
    for row in read_awards(io.StringIO(rows)):
        index.add_award(row)
    assert screen([VendorRecord("1", "AWS")], index)  # an acronym on its own is searched
    assert screen([VendorRecord("2", "Amazon Web Services (AWS)")], index) == []


def test_division_dba_and_brackets_are_read():
    assert parse_name("LexisNexis, a division of RELX Inc.").parent == "RELX Inc"
    assert parse_name("HZS Engineering, Inc., dba HZS Construction").aliases == ("HZS Construction",)
    assert parse_name("Amazon Web Services (AWS)").aliases == ("AWS",)


def test_both_usaspending_layouts_are_read_and_other_agencies_left_out():
    summary = list(read_awards(io.StringIO(summary_csv())))
    assert [r.award_id for r in summary] == ["70CDCR24C0001", "70CMSD24C0002", "70B03C24C0003"]
    assert summary[1].parent_uei == "UEIPARENT001"
    assert summary[0].permalink.startswith("https://www.usaspending.gov/")
    transactions = list(read_awards(io.StringIO(transactions_csv())))
    assert transactions[0].recipient_duns == "000012345"
    assert transactions[0].action_date == date(2015, 3, 27)
    assert transactions[1].obligated == Decimal(-50000)
    assert len(list(read_awards(io.StringIO(summary_csv()), agencies=None))) == 4


def test_a_file_that_is_not_award_data_is_refused():
    with pytest.raises(AwardFileError):
        list(read_awards(io.StringIO("name,amount\nX,1\n")))


def test_dates_and_duns():
    assert parse_date("2024-05-01") == date(2024, 5, 1)
    assert parse_date("28/09/17 00:00") == date(2017, 9, 28)
    assert parse_date("05/31/2024", day_first=True) == date(2024, 5, 31)
    assert parse_date("not a date") is None
    assert pad_duns("1234567") == "001234567"


def test_severity_reads_the_work():
    assert classify("ACCESS TO LICENSE PLATE READER DATABASE") == Severity.SURVEILLANCE
    assert classify("DETAINEE TRANSPORTATION") == Severity.DETENTION
    assert classify("PORTABLE RADIOS", psc="5820") == Severity.OPERATIONS
    assert classify("OFFICE SUPPLIES") == Severity.OTHER
    assert classify("OFFICE SUPPLIES", office="DETENTION COMPLIANCE AND REMOVALS") == Severity.DETENTION


def test_identifiers_come_first_even_when_names_differ():
    findings = screen([VendorRecord("1", "Totally Different Name", uei="UEIDATAPATH1")], _index())
    assert [(f.entity, f.link, f.confidence) for f in findings] == [("PLATEWATCH DATA LLC", "direct", 1.0)]
    assert findings[0].reasons[0].code == "identifier"


def test_direct_finding_carries_its_evidence():
    [finding] = screen([VendorRecord("1", "Platewatch Data, L.L.C.")], _index())
    assert finding.link == "direct"
    assert finding.severity == Severity.SURVEILLANCE
    assert finding.award_ids == ["70CMSD24C0002"]
    assert finding.obligated == Decimal("250000.00")
    assert "platewatch" in finding.explanation


def test_a_parent_company_is_linked_to_its_subsidiaries_awards_with_less_confidence():
    findings = {f.entity: f for f in screen([VendorRecord("1", "Halcyon Holdings, Inc.")], _index())}
    assert findings["PLATEWATCH DATA LLC"].link == "subsidiary"
    assert findings["CASTLEROCK TRANSPORT INC"].link == "subsidiary"
    assert findings["PLATEWATCH DATA LLC"].confidence == pytest.approx(0.9)
    assert findings["CASTLEROCK TRANSPORT INC"].severity == Severity.DETENTION
    assert findings["CASTLEROCK TRANSPORT INC"].obligated == Decimal(350000)  # the de-obligation counts
    assert findings["CASTLEROCK TRANSPORT INC"].path[0].parent == "HALCYON HOLDINGS INC"


def test_a_sibling_is_linked_weaker_than_a_parent():
    [sibling] = [f for f in screen([VendorRecord("1", "Castlerock Transport")], _index()) if f.link == "sibling"]
    assert sibling.entity == "SKYLINE CHARTER LLC"
    assert sibling.confidence < 0.5


def test_a_subprocessor_with_a_finding_reaches_the_vendor_with_student_data():
    vendors = [
        VendorRecord("1", "Gradebook Cloud", student_data="records", subprocessors=("Platewatch Data",)),
        VendorRecord("2", "Platewatch Data"),
        VendorRecord("3", "Lunch Menus", student_data="none", subprocessors=("Platewatch Data",)),
    ]
    findings = screen(vendors, _index())
    via = [f for f in findings if f.link == "subprocessor"]
    assert [(f.vendor, f.via) for f in via] == [("Gradebook Cloud", "Platewatch Data")]


def test_northwestern_vendor_has_no_finding():
    assert screen([VendorRecord("1", "Northwestern University")], _index()) == []
