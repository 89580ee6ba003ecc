"""Office keys: who holds them, how they reach new members, and what a
member who left can no longer open."""

import base64

import pytest
from django.core.management import CommandError, call_command

from safezones.accounts.actions import revoke_role
from safezones.accounts.keys import create_staff_key
from safezones.accounts.models import Office, OfficeShare, StaffKey
from safezones.accounts.offices import (
    drop_shares_no_longer_held,
    office_for,
    open_office_key,
    pass_on_office_keys,
)
from safezones.audit.models import AuditEvent
from safezones.lib import crypto
from safezones.schools.models import District
from tests.conftest import PASSWORD, make_user


def _private_key(user, password=PASSWORD) -> bytes:
    key = StaffKey.objects.get(user=user)
    wrapping = crypto.key_from_password(password, bytes(key.salt), ops=key.kdf_ops, memory=key.kdf_memory)
    return crypto.decrypt(wrapping, bytes(key.wrapped_private_key), f"staff-key:{user.pk}")


def _can_read(office: Office, user) -> bool:
    office_private = open_office_key(user, _private_key(user), office)
    if office_private is None:
        return False
    secret = crypto.new_key()
    return crypto.unseal(office_private, crypto.seal(bytes(office.public_key), secret)) == secret


def test_a_school_office_is_held_by_the_schools_administrators_only(cast):
    office = office_for("school", school=cast.school_a)
    assert set(OfficeShare.objects.filter(office=office).values_list("user__email", flat=True)) == {"ana@a.test"}
    assert _can_read(office, cast.admin_a)
    for outsider in (cast.staff_a, cast.staff_b, cast.area_1_office, cast.district_office, cast.sysadmin):
        assert not _can_read(office, outsider)


def test_area_district_and_legal_offices_have_their_own_members(cast):
    assert _can_read(office_for("area", area=cast.area_1), cast.area_1_office)
    assert not _can_read(office_for("area", area=cast.area_1), cast.area_2_office)
    assert _can_read(office_for("district"), cast.district_office)
    assert _can_read(office_for("legal"), cast.legal)
    assert not _can_read(office_for("legal"), cast.district_office)


def test_an_office_is_created_once(cast):
    assert office_for("school", school=cast.school_a).pk == office_for("school", school=cast.school_a).pk
    assert Office.objects.filter(kind="school", school=cast.school_a).count() == 1


def test_a_new_member_gets_the_key_when_a_colleague_signs_in(cast):
    office = office_for("school", school=cast.school_a)
    newcomer = make_user("nora@a.test", "site_admin", school=cast.school_a)
    assert not _can_read(office, newcomer)
    assert pass_on_office_keys(cast.admin_a, _private_key(cast.admin_a)) == 1
    assert _can_read(office, newcomer)
    assert AuditEvent.objects.filter(action="office.key_passed_on", actor="ana@a.test").exists()


def test_passing_on_happens_at_sign_in(cast, client):
    from safezones.accounts.devices import current_code
    from tests.conftest import confirmed_totp

    office = office_for("school", school=cast.school_a)
    newcomer = make_user("nora@a.test", "site_admin", school=cast.school_a)
    device = confirmed_totp(cast.admin_a)
    client.post("/accounts/sign-in/", {"email": "ana@a.test", "password": PASSWORD})
    client.post("/accounts/verify/", {"code": current_code(device)})
    assert _can_read(office, newcomer)


def test_someone_who_lost_the_role_can_no_longer_open_the_office_key(cast):
    office = office_for("school", school=cast.school_a)
    revoke_role(cast.sysadmin, "system_admin", cast.admin_a.memberships.get())
    assert not OfficeShare.objects.filter(office=office, user=cast.admin_a).exists()
    assert not _can_read(office, cast.admin_a)


def test_a_share_is_refused_when_the_role_is_gone_even_if_the_copy_remains(cast):
    office = office_for("school", school=cast.school_a)
    cast.admin_a.memberships.all().delete()  # bypassing the action leaves the copy behind
    assert OfficeShare.objects.filter(office=office, user=cast.admin_a).exists()
    assert open_office_key(cast.admin_a, _private_key(cast.admin_a), office) is None
    assert drop_shares_no_longer_held(cast.admin_a) == 1


def test_an_office_without_anyone_to_hold_its_key_is_recorded(cast):
    office_for("school", school=cast.school_b)  # School B has site staff but no administrator
    assert AuditEvent.objects.filter(action="office.no_key_holder", school_code="SB").exists()


def test_the_recovery_key_opens_offices_created_after_it(cast, capsys):
    call_command("create_recovery_key")
    printed = capsys.readouterr().out.splitlines()[1].replace(" ", "")
    recovery_private = base64.b32decode(printed + "=" * (-len(printed) % 8))
    office = office_for("school", school=cast.school_b)
    sealed = office.recovery_sealed_private_key
    assert sealed is not None
    office_private = crypto.unseal(recovery_private, bytes(sealed))
    secret = crypto.new_key()
    assert crypto.unseal(office_private, crypto.seal(bytes(office.public_key), secret)) == secret
    assert District.objects.get().recovery_public_key is not None


def test_the_recovery_key_is_not_replaced_by_accident(cast):
    call_command("create_recovery_key")
    with pytest.raises(CommandError, match="already has a recovery key"):
        call_command("create_recovery_key")


def test_the_database_holds_no_office_private_key_in_the_clear(cast):
    office = office_for("school", school=cast.school_a)
    office_private = open_office_key(cast.admin_a, _private_key(cast.admin_a), office)
    assert office_private is not None
    stored = b"".join(bytes(share.sealed_private_key) for share in OfficeShare.objects.all())
    stored += bytes(office.public_key)
    assert office_private not in stored


def test_a_member_without_a_key_yet_gets_one_later(cast):
    StaffKey.objects.filter(user=cast.admin_a).delete()
    office = office_for("school", school=cast.school_a)
    assert not OfficeShare.objects.filter(office=office).exists()
    create_staff_key(cast.admin_a, PASSWORD)
    # No colleague holds the key, so only the recovery path could help here.
    assert pass_on_office_keys(cast.admin_a, _private_key(cast.admin_a)) == 0
