"""The system administrator's pages for people and roles."""

import pytest

from safezones.accounts.models import User
from safezones.audit.models import AuditEvent
from safezones.schools.models import Membership, Role

NOT_ADMINS = [role for role in Role.values if role != Role.SYSTEM_ADMIN]


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_it_validates_the_role(cast, as_user, role):
    client = as_user(cast.by_role()[role])
    person = cast.staff_b
    membership = person.memberships.get()
    assert client.get(f"/staff/people/{person.pk}/").status_code == 403
    assert client.post(f"/staff/people/{person.pk}/active/", {"active": "0"}).status_code == 403
    assert client.post(f"/staff/people/{person.pk}/roles/{membership.pk}/revoke/").status_code == 403
    person.refresh_from_db()
    assert person.is_active
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_unknown_person_answers_404(cast, as_user):
    client = as_user(cast.sysadmin)
    assert client.get("/staff/people/999999/").status_code == 404
    membership = cast.staff_b.memberships.get()
    # A membership of someone else under this person's address is not found either.
    assert client.post(f"/staff/people/{cast.staff_a.pk}/roles/{membership.pk}/revoke/").status_code == 404


def test_the_administrator_adds_a_person_and_gives_a_role(cast, as_user):
    client = as_user(cast.sysadmin)
    response = client.post("/staff/people/new/", {"email": "New.Person@A.test", "name": "New Person"})
    assert response.status_code == 200
    person = User.objects.get(email="new.person@a.test")
    assert person.check_password(response.context["password"])
    response = client.post(f"/staff/people/{person.pk}/", {"role": "site_staff", "school": "SA"})
    assert response.status_code == 302
    assert person.memberships.get().school == cast.school_a
    actions = set(AuditEvent.objects.filter(actor="sam@it.test").values_list("action", flat=True))
    assert {"user.create", "membership.grant"} <= actions


def test_a_site_role_without_a_school_is_refused_with_a_reason(cast, as_user):
    client = as_user(cast.sysadmin)
    response = client.post(f"/staff/people/{cast.board.pk}/", {"role": "site_staff"})
    assert response.status_code == 200
    assert b"Site roles need a school" in response.content
    assert not cast.board.memberships.filter(role="site_staff").exists()


def test_a_second_account_with_the_same_address_is_refused(cast, as_user):
    response = as_user(cast.sysadmin).post("/staff/people/new/", {"email": "alice@a.test"})
    assert b"already exists" in response.content


def test_the_administrator_disables_and_enables_an_account(cast, as_user):
    client = as_user(cast.sysadmin)
    client.post(f"/staff/people/{cast.staff_a.pk}/active/", {"active": "0"})
    cast.staff_a.refresh_from_db()
    assert not cast.staff_a.is_active
    client.post(f"/staff/people/{cast.staff_a.pk}/active/", {"active": "1"})
    cast.staff_a.refresh_from_db()
    assert cast.staff_a.is_active


def test_the_administrator_cannot_disable_their_own_account(cast, as_user):
    as_user(cast.sysadmin).post(f"/staff/people/{cast.sysadmin.pk}/active/", {"active": "0"})
    cast.sysadmin.refresh_from_db()
    assert cast.sysadmin.is_active


def test_removing_a_role_takes_effect_at_once(cast, as_user):
    staff = as_user(cast.staff_a)
    assert staff.get("/staff/schools/SA/").status_code == 200
    membership = cast.staff_a.memberships.get()
    as_user(cast.sysadmin).post(f"/staff/people/{cast.staff_a.pk}/roles/{membership.pk}/revoke/")
    assert staff.get("/staff/schools/SA/").status_code == 404
