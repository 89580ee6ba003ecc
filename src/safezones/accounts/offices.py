"""Office keys: created on first use, sealed to every member who holds a key,
and passed on by colleagues to members who join later.

The server holds an office's private key only for the moment it takes to
create or pass it on; at rest it exists only sealed to members' keys and to
the district's recovery key.
"""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from safezones.accounts.models import Office, OfficeShare, StaffKey, User
from safezones.audit.actions import record
from safezones.lib import crypto
from safezones.schools import access
from safezones.schools.models import Area, District, School

SYSTEM_ROLE = "system"


def office_for(kind: str, school: School | None = None, area: Area | None = None) -> Office:
    """The office, created with its keys the first time a case is routed to it."""
    existing = Office.objects.filter(kind=kind, school=school, area=area).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _create_office(kind, school, area)
    except IntegrityError:  # created at the same moment by another request
        return Office.objects.get(kind=kind, school=school, area=area)


def offices_of_school(school: School, kinds: Sequence[str]) -> list[Office]:
    """The school's offices of these kinds ("school", "area", "district"), in
    the order given, with their school and area: read once per process (an
    office and its key never change), and any missing is created as
    office_for would."""
    places = {"school": ("school", school.pk), "area": ("area", school.area_id), "district": ("district", None)}
    found = {kind: office for kind in kinds if (office := _kept(places[kind])) is not None}
    if missing := [kind for kind in kinds if kind not in found]:
        where = {
            "school": Q(kind="school", school_id=school.pk, area__isnull=True),
            "area": Q(kind="area", area_id=school.area_id, school__isnull=True),
            "district": Q(kind="district", school__isnull=True, area__isnull=True),
        }
        condition = Q(pk__in=[])
        for kind in missing:
            condition |= where[kind]
        for office in Office.objects.filter(condition):
            found[office.kind] = office
            _keep(places[office.kind], office)
    offices = []
    for kind in kinds:
        office = found.get(kind)
        if office is None:
            area = school.area if kind == "area" else None
            office = office_for(kind, school=school if kind == "school" else None, area=area)
            _keep(places[kind], office)
        office.school = school if kind == "school" else None  # the school and area already in hand
        office.area = school.area if kind == "area" else None
        offices.append(office)
    return offices


# Offices read or created outside any transaction, so known to be committed,
# by kind and school or area; each caller gets an instance of its own.
_KEPT: dict[tuple[str, int | None], tuple[object, ...]] = {}
_FIELDS = [field.attname for field in Office._meta.concrete_fields]


def forget_kept_offices() -> None:
    _KEPT.clear()


def _keep(place: tuple[str, int | None], office: Office) -> None:
    if not transaction.get_connection().in_atomic_block:
        _KEPT[place] = tuple(getattr(office, name) for name in _FIELDS)


def _kept(place: tuple[str, int | None]) -> Office | None:
    values = _KEPT.get(place)
    return Office.from_db("default", _FIELDS, values) if values is not None else None


def _create_office(kind: str, school: School | None, area: Area | None) -> Office:
    pair = crypto.new_key_pair()
    recovery_key = District.objects.values_list("recovery_public_key", flat=True).first()
    office = Office.objects.create(
        kind=kind,
        school=school,
        area=area,
        public_key=pair.public,
        recovery_sealed_private_key=crypto.seal(bytes(recovery_key), pair.private) if recovery_key else None,
    )
    holders = _share_with(office, pair.private, access.office_members(kind, school, area))
    record(None, "office.create", office, role=SYSTEM_ROLE, school_code=school.code if school else "")
    if not holders and not recovery_key:
        # Cases routed here stay readable by the other offices on their path.
        record(None, "office.no_key_holder", office, role=SYSTEM_ROLE, school_code=school.code if school else "")
    return office


def _share_with(office: Office, office_private: bytes, members: QuerySet[User]) -> int:
    count = 0
    keys = StaffKey.objects.filter(user__in=members).exclude(user__office_shares__office=office)
    for key in keys:
        sealed = crypto.seal(bytes(key.public_key), office_private)
        OfficeShare.objects.create(office=office, user_id=key.user_id, sealed_private_key=sealed)
        count += 1
    return count


def open_office_key(user: User, private_key: bytes, office: Office) -> bytes | None:
    """The office's private key, if this member holds a share and may still read."""
    if not access.office_members(office.kind, office.school, office.area).filter(pk=user.pk).exists():
        return None
    share = OfficeShare.objects.filter(office=office, user=user).first()
    if share is None:
        return None
    return crypto.unseal(private_key, bytes(share.sealed_private_key))


def pass_on_office_keys(user: User, private_key: bytes) -> int:
    """Run whenever a member signs in: give each of their offices' keys to
    colleagues who joined since and have no copy yet."""
    given = 0
    for share in OfficeShare.objects.filter(user=user).select_related("office", "office__school", "office__area"):
        office = share.office
        members = access.office_members(office.kind, office.school, office.area)
        if not members.filter(pk=user.pk).exists():
            continue
        office_private = crypto.unseal(private_key, bytes(share.sealed_private_key))
        with transaction.atomic():
            added = _share_with(office, office_private, members)
            if added:
                record(user, "office.key_passed_on", office, object_id=f"{office.pk}:{added}")
        given += added
    return given


def drop_shares_no_longer_held(user: User) -> int:
    """After a role is removed: delete copies of office keys the person may no longer hold."""
    dropped = 0
    for share in OfficeShare.objects.filter(user=user).select_related("office"):
        office = share.office
        if not access.office_members(office.kind, office.school, office.area).filter(pk=user.pk).exists():
            share.delete()
            dropped += 1
    return dropped
