"""The shared cast: one district with two areas and three schools, and one
person per role. A person at School A must never see School B's data."""

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safezones.accounts import reauth
from safezones.accounts.actions import create_user, grant_role
from safezones.accounts.models import User
from safezones.schools.actions import create_area, set_district
from safezones.schools.models import Area, District, Role, School

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    district: District
    area_1: Area
    area_2: Area
    school_a: School  # in area 1
    school_a2: School  # also in area 1
    school_b: School  # in area 2
    staff_a: User
    staff_a_colleague: User
    admin_a: User
    staff_b: User
    area_1_office: User
    area_2_office: User
    district_office: User
    legal: User
    procurement: User
    board: User
    sysadmin: User

    def by_role(self) -> dict[str, User]:
        return {
            "site_staff": self.staff_a,
            "site_admin": self.admin_a,
            "area_office": self.area_1_office,
            "district_office": self.district_office,
            "legal_office": self.legal,
            "procurement": self.procurement,
            "board_member": self.board,
            "system_admin": self.sysadmin,
        }


def make_user(email: str, role: str, school: School | None = None, area: Area | None = None) -> User:
    user, _ = create_user(None, "test", email=email, name=email.split("@", maxsplit=1)[0], password=PASSWORD)
    grant_role(None, "test", user, role, school=school, area=area)
    return user


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate-limit counters live in the cache; with Redis they outlive a test's
    transaction, so every test starts from an empty cache."""
    from django.core.cache import cache

    if settings.REDIS_URL:
        cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """A page requested in Spanish leaves Spanish active in the thread; each
    test starts in the default language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def cast(db: None) -> Cast:
    district = set_district(None, name="Test Unified", time_zone="America/Los_Angeles", policy_reference="REF-1")
    area_1 = create_area(None, district, code="A1", name="Area One")
    area_2 = create_area(None, district, code="A2", name="Area Two")
    school_a = School.objects.create(area=area_1, code="SA", name="School A", languages=["en", "es"])
    school_a2 = School.objects.create(area=area_1, code="SA2", name="School A Two")
    school_b = School.objects.create(area=area_2, code="SB", name="School B")
    return Cast(
        district=district,
        area_1=area_1,
        area_2=area_2,
        school_a=school_a,
        school_a2=school_a2,
        school_b=school_b,
        staff_a=make_user("alice@a.test", Role.SITE_STAFF, school=school_a),
        staff_a_colleague=make_user("amir@a.test", Role.SITE_STAFF, school=school_a),
        admin_a=make_user("ana@a.test", Role.SITE_ADMIN, school=school_a),
        staff_b=make_user("bob@b.test", Role.SITE_STAFF, school=school_b),
        area_1_office=make_user("carla@area1.test", Role.AREA_OFFICE, area=area_1),
        area_2_office=make_user("chen@area2.test", Role.AREA_OFFICE, area=area_2),
        district_office=make_user("dana@district.test", Role.DISTRICT_OFFICE),
        legal=make_user("lee@legal.test", Role.LEGAL_OFFICE),
        procurement=make_user("pat@procurement.test", Role.PROCUREMENT),
        board=make_user("bea@board.test", Role.BOARD_MEMBER),
        sysadmin=make_user("sam@it.test", Role.SYSTEM_ADMIN),
    )


def confirmed_totp(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def sign_in(client: Client, user: User) -> Client:
    """A client signed in with password and second factor, as after the real flow."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_totp(user).persistent_id
    session[reauth.SESSION_KEY] = int(time.time())
    session.save()
    return client


@pytest.fixture
def as_user(client: Client):
    def signed_in(user: User) -> Client:
        return sign_in(Client(), user)

    return signed_in
