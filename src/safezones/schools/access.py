"""Every decision about who may see or change what, in one place.

A role grants capabilities over a scope: one school, one area's schools, or
the whole district. Callers ask for an object through the `get_*` functions
here: an object outside the user's scope answers 404 (its existence is not
revealed), and an object in scope that the role may only read answers 403
when the user tries to change it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safezones.schools.models import Area, Membership, Role, School

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safezones.accounts.models import Office, User
    from safezones.campus.models import Incident, RecordsRequest
    from safezones.families.models import FamilyCase


class Capability(StrEnum):
    VIEW_SCHOOL = "view_school"  # a school's staff pages and records
    MANAGE_SCHOOL = "manage_school"  # change a school's details
    VIEW_AREA = "view_area"
    VIEW_AGGREGATES = "view_aggregates"  # de-identified district figures
    MANAGE_ACCOUNTS = "manage_accounts"
    LEGAL_REVIEW = "legal_review"
    REVIEW_VENDORS = "review_vendors"  # import contracts, screen, confirm or dismiss findings
    VIEW_VENDOR_FINDINGS = "view_vendor_findings"  # read vendor findings and their evidence
    VIEW_VENDOR_REPORT = "view_vendor_report"  # the board report on vendors with confirmed findings
    READ_FAMILY_CASES = "read_family_cases"  # the cases routed to one's own office
    RESPOND = "respond"  # start an incident at a school and record what happens
    MANAGE_PROTOCOL = "manage_protocol"  # publish the district's protocol
    APPROVE_NOTICES = "approve_notices"  # send families the pre-approved messages
    BOARD_REPORT = "board_report"  # the de-identified report on access attempts and records requests
    ATTEST_READINESS = "attest_readiness"  # say a school's checklist item is in place
    VERIFY_READINESS = "verify_readiness"  # check what a school attested
    VIEW_READINESS = "view_readiness"  # readiness dashboards and the annual report
    MANAGE_READINESS = "manage_readiness"  # the district's checklist and training records
    MANAGE_RESOURCES = "manage_resources"  # the district's directory of help for families


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.SITE_STAFF: frozenset({Capability.VIEW_SCHOOL}),
    Role.SITE_ADMIN: frozenset({Capability.VIEW_SCHOOL, Capability.MANAGE_SCHOOL, Capability.READ_FAMILY_CASES}),
    Role.AREA_OFFICE: frozenset(
        {
            Capability.VIEW_SCHOOL,
            Capability.MANAGE_SCHOOL,
            Capability.VIEW_AREA,
            Capability.VIEW_AGGREGATES,
            Capability.READ_FAMILY_CASES,
        }
    ),
    Role.DISTRICT_OFFICE: frozenset(
        {
            Capability.VIEW_SCHOOL,
            Capability.MANAGE_SCHOOL,
            Capability.VIEW_AREA,
            Capability.VIEW_AGGREGATES,
            Capability.READ_FAMILY_CASES,
        }
    ),
    Role.LEGAL_OFFICE: frozenset(
        {Capability.VIEW_SCHOOL, Capability.VIEW_AREA, Capability.VIEW_AGGREGATES, Capability.LEGAL_REVIEW}
    ),
    Role.PROCUREMENT: frozenset({Capability.REVIEW_VENDORS}),
    Role.BOARD_MEMBER: frozenset({Capability.VIEW_AGGREGATES}),
    Role.SYSTEM_ADMIN: frozenset({Capability.MANAGE_ACCOUNTS}),
}

# Readiness: the site administrator attests, the area office verifies, the
# offices and the board read the figures, the district office sets the checklist.
_READINESS_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.SITE_ADMIN: frozenset({Capability.ATTEST_READINESS}),
    Role.AREA_OFFICE: frozenset({Capability.VERIFY_READINESS, Capability.VIEW_READINESS}),
    Role.DISTRICT_OFFICE: frozenset(
        {Capability.VERIFY_READINESS, Capability.VIEW_READINESS, Capability.MANAGE_READINESS}
    ),
    Role.LEGAL_OFFICE: frozenset({Capability.VIEW_READINESS}),
    Role.BOARD_MEMBER: frozenset({Capability.VIEW_READINESS}),
}
for _role, _extra in _READINESS_CAPABILITIES.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _extra

# Campus response: school staff and the offices above them respond; the legal
# office reads incidents and decides; the district office owns the protocol and
# the families notices; the board sees only its de-identified report.
_CAMPUS_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.SITE_STAFF: frozenset({Capability.RESPOND}),
    Role.SITE_ADMIN: frozenset({Capability.RESPOND}),
    Role.AREA_OFFICE: frozenset({Capability.RESPOND, Capability.BOARD_REPORT}),
    Role.DISTRICT_OFFICE: frozenset(
        {Capability.RESPOND, Capability.MANAGE_PROTOCOL, Capability.APPROVE_NOTICES, Capability.BOARD_REPORT}
    ),
    Role.LEGAL_OFFICE: frozenset({Capability.BOARD_REPORT}),
    Role.BOARD_MEMBER: frozenset({Capability.BOARD_REPORT}),
}
for _role, _extra in _CAMPUS_CAPABILITIES.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _extra


# Vendor review: procurement reviews; the district and legal offices read the
# findings; the board sees only the report.
_VENDOR_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PROCUREMENT: frozenset({Capability.VIEW_VENDOR_FINDINGS, Capability.VIEW_VENDOR_REPORT}),
    Role.DISTRICT_OFFICE: frozenset({Capability.VIEW_VENDOR_FINDINGS, Capability.VIEW_VENDOR_REPORT}),
    Role.LEGAL_OFFICE: frozenset({Capability.VIEW_VENDOR_FINDINGS, Capability.VIEW_VENDOR_REPORT}),
    Role.BOARD_MEMBER: frozenset({Capability.VIEW_VENDOR_REPORT}),
}
for _role, _extra in _VENDOR_CAPABILITIES.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _extra


# The resource directory: the offices that answer families read it (and its
# stale entries); only the district office changes it.
ROLE_CAPABILITIES[Role.DISTRICT_OFFICE] = ROLE_CAPABILITIES[Role.DISTRICT_OFFICE] | {Capability.MANAGE_RESOURCES}


def memberships(user: "User | AnonymousUser") -> list[Membership]:
    """The user's roles, loaded once per request object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cache = vars(user)
    if "_memberships" not in cache:
        cache["_memberships"] = list(Membership.objects.filter(user_id=user.pk).select_related("school", "area"))
    memberships_: list[Membership] = cache["_memberships"]
    return memberships_


def forget_memberships(user: "User") -> None:
    user.__dict__.pop("_memberships", None)


def roles_of(user: "User | AnonymousUser") -> set[str]:
    return {m.role for m in memberships(user)}


def has(user: "User | AnonymousUser", capability: Capability) -> bool:
    """Whether any of the user's roles grants the capability somewhere."""
    return granting_role(user, capability) is not None


def granting_role(
    user: "User | AnonymousUser", capability: Capability, school: School | None = None, area: Area | None = None
) -> str | None:
    """The role under which the user may use the capability (on the school or
    area, when one is given), or None. Recorded in the audit log."""
    for membership in memberships(user):
        if capability in ROLE_CAPABILITIES[membership.role] and _covers(membership, school, area):
            return membership.role
    return None


def _covers(membership: Membership, school: School | None, area: Area | None) -> bool:
    if membership.school_id is not None:
        return area is None and (school is None or school.pk == membership.school_id)
    if membership.area_id is not None:
        if area is not None:
            return area.pk == membership.area_id
        return school is None or school.area_id == membership.area_id
    return True


def memberships_limited_to_area(user: "User | AnonymousUser") -> bool:
    """True unless one of the user's roles covers the whole district."""
    return all(m.school_id is not None or m.area_id is not None for m in memberships(user))


def require(user: "User | AnonymousUser", capability: Capability) -> None:
    """For pages that are not about one object: refuse roles that lack the capability."""
    if not has(user, capability):
        raise PermissionDenied


def schools_with(user: "User | AnonymousUser", capability: Capability) -> QuerySet[School]:
    return School.objects.filter(_school_filter(user, capability)).select_related("area")


def areas_with(user: "User | AnonymousUser", capability: Capability) -> QuerySet[Area]:
    condition = Q(pk__in=[])
    for membership in memberships(user):
        if capability not in ROLE_CAPABILITIES[membership.role] or membership.school_id is not None:
            continue
        if membership.area_id is None:
            return Area.objects.all()
        condition |= Q(pk=membership.area_id)
    return Area.objects.filter(condition)


def _school_filter(user: "User | AnonymousUser", capability: Capability) -> Q:
    condition = Q(pk__in=[])
    for membership in memberships(user):
        if capability not in ROLE_CAPABILITIES[membership.role]:
            continue
        if membership.school_id is not None:
            condition |= Q(pk=membership.school_id)
        elif membership.area_id is not None:
            condition |= Q(area_id=membership.area_id)
        else:
            return Q()
    return condition


def get_school(user: "User | AnonymousUser", code: str, capability: Capability = Capability.VIEW_SCHOOL) -> School:
    """The school, if the user may use the capability on it.

    Outside the user's scope: 404. In scope but the role may only read: 403.
    """
    school = schools_with(user, Capability.VIEW_SCHOOL).filter(code=code).first()
    if school is None:
        raise Http404
    if granting_role(user, capability, school=school) is None:
        raise PermissionDenied
    return school


# Who reads the family cases routed to each kind of office.
OFFICE_ROLES: dict[str, str] = {
    "school": Role.SITE_ADMIN,
    "area": Role.AREA_OFFICE,
    "district": Role.DISTRICT_OFFICE,
    "legal": Role.LEGAL_OFFICE,
}


def office_members(kind: str, school: School | None = None, area: Area | None = None) -> "QuerySet[User]":
    """The active people who belong to an office and so may hold its key."""
    from safezones.accounts.models import User

    condition = _office_membership(kind, school.pk if school else None, area.pk if area else None, "memberships__")
    return User.objects.filter(condition, is_active=True).distinct()


@dataclass(frozen=True)
class Member:
    pk: int
    email: str


def members_of_offices(offices: "Sequence[Office]") -> "list[tuple[Office, Member]]":
    """Each office with each of its active members (as office_members says),
    in the offices' order, in one query; someone in two offices comes twice."""
    condition = Q(pk__in=[])
    for office in offices:
        condition |= _office_membership(office.kind, office.school_id, office.area_id)
    rows = (
        Membership.objects.filter(condition, user__is_active=True)
        .order_by("user_id", "pk")
        .values_list("role", "school_id", "area_id", "user_id", "user__email")
    )
    memberships = [
        (role, school_id, area_id, Member(user_id, email)) for role, school_id, area_id, user_id, email in rows
    ]
    pairs = []
    for office in offices:
        seen: set[int] = set()
        for role, school_id, area_id, member in memberships:
            if member.pk not in seen and _belongs(role, school_id, area_id, office):
                seen.add(member.pk)
                pairs.append((office, member))
    return pairs


def _office_membership(kind: str, school_id: int | None, area_id: int | None, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}role": OFFICE_ROLES[kind]})
    if kind == "school":
        condition &= Q(**{f"{prefix}school_id": school_id})
    elif kind == "area":
        condition &= Q(**{f"{prefix}area_id": area_id})
    return condition


def _belongs(role: str, school_id: int | None, area_id: int | None, office: "Office") -> bool:
    """Whether a membership (its role, school and area) makes someone a member of the office."""
    if role != OFFICE_ROLES[office.kind]:
        return False
    if office.kind == "school":
        return school_id == office.school_id
    return office.kind != "area" or area_id == office.area_id


def offices_of(user: "User | AnonymousUser") -> "QuerySet[Office]":
    """The offices the user belongs to now (the same rules as office_members)."""
    from safezones.accounts.models import Office

    kind_of_role = {role: kind for kind, role in OFFICE_ROLES.items()}
    condition = Q(pk__in=[])
    for membership in memberships(user):
        if (kind := kind_of_role.get(membership.role)) is not None:
            # A membership's school or area is the office's (None for district-wide ones).
            condition |= Q(kind=kind, school_id=membership.school_id, area_id=membership.area_id)
    return Office.objects.filter(condition)


# Which offices may open a family case: a request starts with the school and
# the district's family office, and the area office joins when a deadline is
# missed; a report goes to the area and district offices only, never to the
# school it is about. (Every office on the path holds the case's key from the
# start, so escalation needs no key and can run unattended.)
def _readable(offices: "QuerySet[Office]") -> Q:
    first = offices.filter(kind__in=["school", "district"])
    return (
        Q(kind="request", keys__office__in=first)
        | Q(kind="request", escalation_level__gte=1, keys__office__in=offices.filter(kind="area"))
        | Q(kind="report", keys__office__in=offices.filter(kind__in=["area", "district"]))
    )


def family_cases_for(user: "User | AnonymousUser") -> "QuerySet[FamilyCase]":
    """Cases the user's offices may open now; nobody else sees that they exist."""
    from safezones.families.models import FamilyCase

    return FamilyCase.objects.filter(_readable(offices_of(user))).distinct()


def case_readers(case: "FamilyCase") -> "QuerySet[User]":
    """The people who may open the case now (to assign it to one of them)."""
    from safezones.accounts.models import User

    ids: set[int] = set()
    for key in case.keys.select_related("office", "office__school", "office__area"):
        if may_open_case(key.office, case):
            office = key.office
            ids.update(office_members(office.kind, office.school, office.area).values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids).order_by("name", "email")


def may_open_case(office: "Office", case: "FamilyCase") -> bool:
    if case.kind == "report":
        return office.kind in ("area", "district")
    return office.kind in ("school", "district") or (office.kind == "area" and case.escalation_level >= 1)


def get_family_case(user: "User | AnonymousUser", case_id: str) -> "FamilyCase":
    case = family_cases_for(user).filter(pk=case_id).select_related("school", "school__area").first()
    if case is None:
        raise Http404
    return case


def get_area(user: "User | AnonymousUser", code: str) -> Area:
    area = areas_with(user, Capability.VIEW_AREA).filter(code=code).select_related("district").first()
    if area is None:
        raise Http404
    return area


def incidents_for(user: "User | AnonymousUser") -> "QuerySet[Incident]":
    """Incidents at the schools the user may see; drills included."""
    from safezones.campus.models import Incident

    return Incident.objects.filter(school__in=schools_with(user, Capability.VIEW_SCHOOL))


def get_incident(
    user: "User | AnonymousUser", incident_id: str, capability: Capability = Capability.VIEW_SCHOOL
) -> "Incident":
    """The incident, if its school is in the user's scope (else 404) and the
    role may use the capability there (else 403)."""
    incident = incidents_for(user).filter(pk=incident_id).select_related("school", "school__area", "protocol").first()
    if incident is None:
        raise Http404
    if granting_role(user, capability, school=incident.school) is None:
        raise PermissionDenied
    return incident


def get_records_request(
    user: "User | AnonymousUser", request_id: str, capability: Capability = Capability.VIEW_SCHOOL
) -> "RecordsRequest":
    from safezones.campus.models import RecordsRequest

    schools = schools_with(user, Capability.VIEW_SCHOOL)
    found = RecordsRequest.objects.filter(pk=request_id, school__in=schools).select_related("school").first()
    if found is None:
        raise Http404
    if granting_role(user, capability, school=found.school) is None:
        raise PermissionDenied
    return found
