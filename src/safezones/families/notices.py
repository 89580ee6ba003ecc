"""Notices to staff about family cases: a link and the office, never content."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from safezones.accounts.models import Office
from safezones.families.models import FamilyCase
from safezones.outbox.actions import NOTICE_PRIORITY, Email, queue_emails
from safezones.schools import access


def new_case_notices(case: FamilyCase, offices: list[Office]) -> list[Email]:
    """The e-mails that tell each member of the offices on the case's path of
    it, to queue in the case's own transaction."""
    link = f"{settings.SITE_URL}/staff/cases/{case.pk}/"
    return _notices(offices, f"case:{case.pk}:new", NEW_CASE, link)


def notify_escalation(case: FamilyCase, offices: list[Office], level: int) -> int:
    """Tell every office that may now open the case that a deadline was missed."""
    link = f"{settings.SITE_URL}/staff/cases/{case.pk}/"
    notices = _notices(offices, f"case:{case.pk}:escalated:{level}", OVERDUE, link)
    return len(queue_emails(notices, priority=NOTICE_PRIORITY))


def _notices(offices: list[Office], key: str, notice: tuple[str, str], link: str) -> list[Email]:
    """One e-mail per member, naming the first of the offices they are in."""
    texts = {office.pk: _bilingual(notice, str(office), link) for office in offices}
    emails, seen = [], set()
    for office, member in access.members_of_offices(offices):
        if member.pk not in seen:
            seen.add(member.pk)
            emails.append(Email(f"{key}:{member.pk}", member.email, *texts[office.pk]))
    return emails


# Subject (sent in English) and text (in English, then Spanish) of each notice.
NEW_CASE = (
    gettext_noop("Safe Zones: a new family case"),
    gettext_noop("A new family case was routed to %(office)s. Sign in to read it: %(link)s"),
)
OVERDUE = (
    gettext_noop("Safe Zones: an overdue family case"),
    gettext_noop("A family case routed to %(office)s missed its deadline and needs attention: %(link)s"),
)


def _bilingual(notice: tuple[str, str], office: str, link: str) -> tuple[str, str]:
    subject, text = notice
    parts = []
    for language in ("en", "es"):
        with override(language):
            parts.append(_(text) % {"office": office, "link": link})
    with override("en"):
        return _(subject), "\n\n".join(parts) + "\n"
