"""Notices to staff about family cases: a link and the office, never content."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from safezones.accounts.models import Office
from safezones.families.models import FamilyCase
from safezones.outbox.actions import queue_email
from safezones.schools import access


def notify_new_case(case: FamilyCase, offices: list[Office]) -> int:
    """Queue one e-mail per member of each office on the case's path."""
    queued = 0
    link = f"{settings.SITE_URL}/staff/cases/{case.pk}/"
    for office in offices:
        for member in access.office_members(office.kind, office.school, office.area):
            subject, body = _bilingual_notice(str(office), link)
            if queue_email(f"case:{case.pk}:new:{member.pk}", member.email, subject, body):
                queued += 1
    return queued


def notify_escalation(case: FamilyCase, offices: list[Office], level: int) -> int:
    """Tell every office that may now open the case that a deadline was missed."""
    queued = 0
    link = f"{settings.SITE_URL}/staff/cases/{case.pk}/"
    for office in offices:
        for member in access.office_members(office.kind, office.school, office.area):
            parts = []
            for language in ("en", "es"):
                with override(language):
                    parts.append(
                        _("A family case routed to %(office)s missed its deadline and needs attention: %(link)s")
                        % {"office": office, "link": link}
                    )
            with override("en"):
                subject = _("Safe Zones: an overdue family case")
            if queue_email(f"case:{case.pk}:escalated:{level}:{member.pk}", member.email, subject, "\n\n".join(parts)):
                queued += 1
    return queued


def _bilingual_notice(office: str, link: str) -> tuple[str, str]:
    parts = []
    for language in ("en", "es"):
        with override(language):
            parts.append(
                _("A new family case was routed to %(office)s. Sign in to read it: %(link)s")
                % {"office": office, "link": link}
            )
    with override("en"):
        subject = _("Safe Zones: a new family case")
    return subject, "\n\n".join(parts) + "\n"
