"""The screening engine. Plain Python, no Django: the `safezones screen`
command, the web pages, the tests and the benchmarks call the same code.

    read_awards(lines, agencies) -> AwardRow...     USAspending downloads, streamed
    ReferenceIndex().add_award(row) / add_edge / add_claim
    screen(vendors, index) -> [Finding]             identifiers, names, ownership, data paths
"""

from safezones.vendors.screening.awards import DEFAULT_AGENCIES, AwardFileError, AwardRow, read_awards
from safezones.vendors.screening.engine import LINKS, THRESHOLD, Finding, VendorRecord, screen, screen_vendor
from safezones.vendors.screening.reference import Claim, ReferenceIndex
from safezones.vendors.screening.severity import Severity, classify

__all__ = [
    "DEFAULT_AGENCIES",
    "LINKS",
    "THRESHOLD",
    "AwardFileError",
    "AwardRow",
    "Claim",
    "Finding",
    "ReferenceIndex",
    "Severity",
    "VendorRecord",
    "classify",
    "read_awards",
    "screen",
    "screen_vendor",
]
