import pytest
from django.core.management import CommandError, call_command

from safezones.schools.models import District


def test_it_creates_then_updates_the_district(db):
    call_command(
        "set_district", "--name", "Unified", "--time-zone", "America/Los_Angeles", "--policy-reference", "REF-6767.5"
    )
    call_command(
        "set_district",
        "--name",
        "Unified School District",
        "--time-zone",
        "America/Los_Angeles",
        "--languages",
        "en,es,ko",
        "--area-word",
        "en=Local District/Local Districts",
        "--area-word",
        "es=Distrito Local/Distritos Locales",
    )
    district = District.objects.get()
    assert district.name == "Unified School District"
    assert district.languages == ["en", "es", "ko"]
    assert district.area_word("es", plural=True) == "Distritos Locales"
    assert district.area_word("es-mx") == "Distrito Local"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time-zone", "Mars/Olympus"], "not a known time zone"),
        (["--time-zone", "UTC", "--languages", "en,xx"], "Unknown language code: xx"),
        (["--time-zone", "UTC", "--area-word", "en=Region"], "LANG=SINGULAR/PLURAL"),
    ],
)
def test_it_explains_bad_values(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("set_district", "--name", "X", *args)
    assert not District.objects.exists()
