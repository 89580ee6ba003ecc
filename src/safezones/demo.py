"""The fictional demo district that `make run` loads.

Every name, address and person here is invented. Demo accounts are marked as
such and can sign in only while demo mode is on.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from safezones.accounts.actions import create_user, grant_role
from safezones.accounts.models import User
from safezones.campus.demo import load_demo_campus
from safezones.families.directory import import_directory, parse_directory
from safezones.readiness.demo import load_demo_readiness
from safezones.schools.actions import create_area, import_schools, set_district
from safezones.schools.models import Area, District, Role, School
from safezones.schools.roster import SchoolRow
from safezones.vendors.demo import load_demo_vendors

DEMO_PASSWORD = "demo-safezones-2026"  # noqa: S105 - printed for the invented demo accounts only
ROLE = "demo"

AREAS = {
    "NORTH": ("Local District North", ["Alder", "Birch", "Cedar", "Dogwood"]),
    "CENTRAL": ("Local District Central", ["Elm", "Fir", "Ginkgo", "Hawthorn"]),
    "SOUTH": ("Local District South", ["Ironwood", "Juniper", "Kapok", "Laurel"]),
}
KINDS = ["Elementary School", "Middle School", "High School", "Elementary School"]
LANGUAGES = [["en", "es"], ["en", "es", "ko"], ["en", "es", "hy"], ["en", "es", "zh-hans"]]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    school: str | None = None
    area: str | None = None


ACCOUNTS = [
    DemoAccount("staff@demo.safezones.test", Role.SITE_STAFF, school="N101"),
    DemoAccount("principal@demo.safezones.test", Role.SITE_ADMIN, school="N101"),
    DemoAccount("area@demo.safezones.test", Role.AREA_OFFICE, area="NORTH"),
    DemoAccount("district@demo.safezones.test", Role.DISTRICT_OFFICE),
    DemoAccount("legal@demo.safezones.test", Role.LEGAL_OFFICE),
    DemoAccount("procurement@demo.safezones.test", Role.PROCUREMENT),
    DemoAccount("board@demo.safezones.test", Role.BOARD_MEMBER),
    DemoAccount("admin@demo.safezones.test", Role.SYSTEM_ADMIN),
]


class RealDataError(RuntimeError):
    pass


def holds_real_data() -> bool:
    """Anything not created by the demo loader counts as real."""
    return (
        District.objects.filter(is_demo=False).exists()
        or User.objects.filter(is_demo=False).exists()
        or (School.objects.exists() and not District.objects.filter(is_demo=True).exists())
    )


def demo_rows() -> list[SchoolRow]:
    rows: list[SchoolRow] = []
    for area_index, (area, (_name, trees)) in enumerate(AREAS.items()):
        for index, tree in enumerate(trees):
            code = f"{area[0]}{area_index + 1}0{index + 1}"
            street = 100 * (index + 1) + 10 * area_index
            rows.append(
                SchoolRow(
                    line=len(rows) + 2,
                    code=code,
                    name=f"{tree} {KINDS[index]}",
                    area=area,
                    address=f"{street} {tree} Avenue, Demo City",
                    languages=LANGUAGES[index],
                )
            )
    return rows


def load_demo() -> bool:
    """Load the demo district once. Returns False when it was already there."""
    if holds_real_data():
        raise RealDataError("This database holds real data; demo mode refuses to use it.")
    if District.objects.filter(is_demo=True).exists():
        return False
    with transaction.atomic():
        district = set_district(
            None,
            name="Demo Unified School District",
            time_zone="America/Los_Angeles",
            policy_reference="REF-6767.5",
            languages=["en", "es"],
            area_words={"en": ["Local District", "Local Districts"], "es": ["Distrito Local", "Distritos Locales"]},
        )
        District.objects.filter(pk=district.pk).update(is_demo=True)
        for code, (name, _trees) in AREAS.items():
            create_area(None, district, code=code, name=name)
        import_schools(None, district, demo_rows())
        _load_resources(district)
        for account in ACCOUNTS:
            _create_account(account)
        load_demo_campus(district)
        load_demo_readiness(district)
        load_demo_vendors()
    return True


DEMO_RESOURCES = """kind,name,description,phone,languages,areas,cost,hours,last_verified,starts_at
legal_aid,Demo Legal Aid Clinic,Free consultations (invented),213-555-0101,en;es,NORTH,free,Mon-Fri 9-5,{recent},
rapid_response,Demo Rapid Response Line,If agents are seen (invented),213-555-0102,en;es;ko,,free,24 hours,{recent},
counseling,Demo Counseling Center,For families (invented),213-555-0103,en;es;hy,CENTRAL,low,Tue-Sat 10-6,{old},
workshop,Demo Know Your Rights Evening,At Alder Elementary (invented),,en;es,NORTH,free,,{recent},{workshop}
"""


def _load_resources(district: District) -> None:
    today = timezone.localdate()
    text = DEMO_RESOURCES.format(
        recent=today - timedelta(days=20),
        old=today - timedelta(days=240),
        workshop=f"{today + timedelta(days=14)} 18:30",
    )
    parsed = parse_directory(text.encode(), district.zone)
    import_directory(parsed.rows)


def _create_account(account: DemoAccount) -> None:
    name = account.email.split("@")[0].capitalize() + " (demo)"
    user, _ = create_user(None, ROLE, email=account.email, name=name, password=DEMO_PASSWORD, is_demo=True)
    school = School.objects.get(code=account.school) if account.school else None
    area = Area.objects.get(code=account.area) if account.area else None
    grant_role(None, ROLE, user, account.role, school=school, area=area)
