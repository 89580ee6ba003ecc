"""Notices to staff about family cases: a link and the office, never content."""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from safezones.accounts.models import Office
from safezones.families.models import FamilyCase
from safezones.outbox.actions import Email, queue_emails
from safezones.schools import access


def new_case_notices(case: FamilyCase, offices: list[Office]) -> list[Email]:
    """The e-mails that tell each member of the offices on the case's path of
    it, to queue in the case's own transaction."""
    link = f"{settings.SITE_URL}/staff/cases/{case.pk}/"
    return _notices(offices, f"case:{case.pk}:new", lambda office: _bilingual_notice(str(office), link))


def notify_escalation(case: FamilyCase, offices: list[Office], level: int) -> int:
    """Tell every office that may now open the case that a deadline was missed."""
    link = f"{settings.SITE_URL}/staff/cases/{case.pk}/"
    key = f"case:{case.pk}:escalated:{level}"
    return len(queue_emails(_notices(offices, key, lambda office: _bilingual_escalation(str(office), link))))


def _notices(offices: list[Office], key: str, notice: Callable[[Office], tuple[str, str]]) -> list[Email]:
    """One e-mail per member, naming the first of the offices they are in."""
    texts = {office.pk: notice(office) for office in offices}
    emails, seen = [], set()
    for office, member in access.members_of_offices(offices):
        if member.pk not in seen:
            seen.add(member.pk)
            emails.append(Email(f"{key}:{member.pk}", member.email, *texts[office.pk]))
    return emails


def _bilingual_escalation(office: str, link: str) -> tuple[str, str]:
    parts = []
    for language in ("en", "es"):
        with override(language):
            parts.append(
                _("A family case routed to %(office)s missed its deadline and needs attention: %(link)s")
                % {"office": office, "link": link}
            )
    with override("en"):
        subject = _("Safe Zones: an overdue family case")
    return subject, "\n\n".join(parts)


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
