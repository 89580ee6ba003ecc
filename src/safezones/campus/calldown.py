"""Each school's call-down list: who is alerted, at which level."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safezones.accounts.models import User
from safezones.audit.actions import record
from safezones.campus.models import CallDownContact, CallDownReview
from safezones.schools import access
from safezones.schools.models import Role, School

# The list a school starts with, from the roles the district already gave:
# the site administrators, then the area office, then the legal and district offices.
DEFAULT_LEVELS = ((1, "school"), (2, "area"), (3, "legal"), (3, "district"))


def ensure_call_down(school: School) -> int:
    """Fill an empty list from the school's roles; returns how many contacts were added."""
    if CallDownContact.objects.filter(school=school).exists():
        return 0
    titles = {
        "school": str(Role.SITE_ADMIN.label),
        "area": str(Role.AREA_OFFICE.label),
        "legal": str(Role.LEGAL_OFFICE.label),
        "district": str(Role.DISTRICT_OFFICE.label),
    }
    added = 0
    with transaction.atomic():
        for level, kind in DEFAULT_LEVELS:
            for member in access.office_members(kind, school=school, area=school.area).order_by("pk"):
                CallDownContact.objects.create(
                    school=school,
                    level=level,
                    title=titles[kind],
                    name=member.name or member.email,
                    user=member,
                    email=member.email,
                )
                added += 1
        if added:
            record(None, "call_down.filled", school, role="system", school_code=school.code)
    return added


def add_contact(user: User, role: str, school: School, fields: dict[str, Any]) -> CallDownContact:
    with transaction.atomic():
        contact = CallDownContact.objects.create(school=school, **fields)
        record(user, "call_down.contact_added", contact, role=role, school_code=school.code)
    return contact


def remove_contact(user: User, role: str, contact: CallDownContact) -> None:
    with transaction.atomic():
        record(user, "call_down.contact_removed", contact, role=role, school_code=contact.school.code)
        contact.delete()


def verify_call_down(user: User, role: str, school: School) -> CallDownReview:
    """Someone confirms the list is current (readiness asks for this every 90 days)."""
    with transaction.atomic():
        review, _created = CallDownReview.objects.update_or_create(
            school=school, defaults={"verified_at": timezone.now(), "verified_by": user}
        )
        record(user, "call_down.verified", school, role=role, school_code=school.code)
    return review


def describe_channels(contact: CallDownContact) -> str:
    names = {"app": _("in the app"), "email": _("e-mail"), "text": _("text or call")}
    return ", ".join(names[channel] for channel in contact.channels)
