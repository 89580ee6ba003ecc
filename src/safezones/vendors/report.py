"""The board report as CSV and PDF (HTML is a template). The PDF is drawn on
the server and fetches nothing: every URL the page names is refused."""

import csv
import io

from django.utils.translation import gettext as _

from safezones.lib.pdf import html_to_pdf
from safezones.vendors.queries import ReportLine


def report_pdf(html: str) -> bytes:
    return html_to_pdf(html)


def report_csv(lines: list[ReportLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Vendor"), _("Contracts"), _("Contract value"), _("Student data"), _("Linked company"), _("Link"),
         _("Severity"), _("Confidence"), _("Federal awards"), _("Obligated (USD)"), _("Renewal due"),
         _("Recommended action")]
    )  # fmt: skip
    for line in lines:
        for finding in line.findings:
            writer.writerow(
                [
                    line.vendor.name,
                    ";".join(c.number for c in line.contracts),
                    f"{line.contract_value:.2f}",
                    line.vendor.get_student_data_display(),
                    finding.entity,
                    finding.get_link_display(),
                    finding.get_severity_display(),
                    f"{finding.confidence:.2f}",
                    ";".join(finding.award_ids),
                    f"{finding.obligated:.2f}",
                    ";".join(c.end_date.isoformat() for c in line.renewal_due if c.end_date),
                    line.action,
                ]
            )
    return out.getvalue()
