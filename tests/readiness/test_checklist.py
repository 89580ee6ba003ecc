from datetime import date

from django.utils import translation

from safezones.audit.models import AuditEvent
from safezones.readiness.actions import ChecklistSettings, publish_checklist
from safezones.readiness.checklist import DEFAULT_ITEMS, expires_on, school_year_end, school_year_of
from safezones.readiness.models import Checklist, ChecklistItem, Expiry
from safezones.readiness.queries import current_checklist

SETTINGS = ChecklistSettings(
    threshold_percent=70, all_staff_target_percent=80, protocol_course="Safe Zones protocol", school_year_starts_month=8
)


def test_the_default_checklist_is_in_force_until_the_district_edits_it(cast):
    current = current_checklist(cast.district)
    assert current.checklist.pk is None
    assert [item.key for item in current.items] == [item.key for item in DEFAULT_ITEMS]
    assert current.checklist.threshold_percent == 80
    with translation.override("en"):
        assert current.items[0].title == "A lead administrator and a backup are named"


def test_publishing_makes_a_new_version_and_keeps_the_old_one(cast):
    first = publish_checklist(
        cast.district_office, "district_office", cast.district, SETTINGS, current_checklist(cast.district).items
    )
    items = current_checklist(cast.district).items[:3]
    items[0].titles = {
        "en": "A principal and a vice principal are named",
        "es": "Se nombró a un director y un subdirector",
    }
    second = publish_checklist(cast.district_office, "district_office", cast.district, SETTINGS, items)
    assert (first.version, second.version) == (1, 2)
    assert first.items.count() == len(DEFAULT_ITEMS)
    current = current_checklist(cast.district)
    assert current.checklist == second
    assert [item.key for item in current.items] == [item.key for item in DEFAULT_ITEMS[:3]]
    with translation.override("es"):
        assert current.items[0].title == "Se nombró a un director y un subdirector"
    assert AuditEvent.objects.filter(action="readiness.checklist.publish").count() == 2


def test_the_district_office_edits_the_checklist_on_its_page(cast, as_user):
    client = as_user(cast.district_office)
    page = client.get("/staff/readiness/checklist/")
    assert page.status_code == 200
    data = {
        "threshold_percent": 75,
        "all_staff_target_percent": 85,
        "protocol_course": "Protocol 2026",
        "school_year_starts_month": 8,
        "new_title_en": "A translator is on call",
        "new_title_es": "Hay un intérprete disponible",
        "new_valid_days": 30,
    }
    for item in DEFAULT_ITEMS:
        data[f"keep_{item.key}"] = "on" if item.key != "kyr-workshop" else ""
    data["days_call-down-list"] = 60
    response = client.post("/staff/readiness/checklist/", data)
    assert response.status_code == 302
    checklist = Checklist.objects.get()
    assert (checklist.version, checklist.threshold_percent, checklist.protocol_course) == (1, 75, "Protocol 2026")
    keys = list(checklist.items.values_list("key", flat=True))
    assert "kyr-workshop" not in keys
    assert keys[-1] == "a-translator-is-on-call"
    assert checklist.items.get(key="call-down-list").valid_days == 60
    assert checklist.items.get(key="a-translator-is-on-call").expiry == Expiry.DAYS


def test_a_checklist_with_no_items_is_refused(cast, as_user):
    response = as_user(cast.district_office).post(
        "/staff/readiness/checklist/",
        {
            "threshold_percent": 75,
            "all_staff_target_percent": 85,
            "protocol_course": "P",
            "school_year_starts_month": 8,
        },
    )
    assert response.status_code == 200
    assert b"Keep at least one item." in response.content
    assert not Checklist.objects.exists()


def test_training_and_drills_expire_with_the_school_year():
    assert school_year_of(date(2026, 9, 1), 8) == 2026
    assert school_year_of(date(2027, 7, 31), 8) == 2026
    assert school_year_end(date(2026, 9, 1), 8) == date(2027, 7, 31)
    yearly = ChecklistItem(key="drill", expiry=Expiry.SCHOOL_YEAR)
    assert expires_on(yearly, date(2026, 10, 5), 8) == date(2027, 7, 31)
    call_down = ChecklistItem(key="call-down-list", expiry=Expiry.DAYS, valid_days=90)
    assert expires_on(call_down, date(2026, 10, 5), 8) == date(2027, 1, 3)
    assert expires_on(ChecklistItem(key="x", expiry=Expiry.NEVER), date(2026, 10, 5), 8) is None
