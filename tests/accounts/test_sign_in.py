import time
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import Client, override_settings
from django.utils import timezone

from safezones.accounts.actions import set_active
from safezones.accounts.devices import current_code
from safezones.audit.models import AuditEvent
from tests.conftest import PASSWORD, confirmed_totp


def _password_step(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/sign-in/", {"email": email, "password": password})


def test_sign_in_takes_password_then_code(cast, client):
    device = confirmed_totp(cast.staff_a)
    response = _password_step(client, "Alice@A.test")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/verify/")
    assert client.get("/staff/").status_code == 302  # not yet: the second factor is missing
    response = client.post("/accounts/verify/", {"code": current_code(device), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.sign_in", actor="alice@a.test").exists()


def test_a_wrong_code_does_not_sign_in(cast, client):
    device = confirmed_totp(cast.staff_a)
    _password_step(client, "alice@a.test")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/verify/", {"code": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get("/staff/").status_code == 302


def test_wrong_codes_hold_back_even_the_right_one_for_a_while(cast, client):
    device = confirmed_totp(cast.staff_a)
    _password_step(client, "alice@a.test")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    for _ in range(3):
        client.post("/accounts/verify/", {"code": wrong})
    response = client.post("/accounts/verify/", {"code": current_code(device)})
    assert b"Too many wrong codes" in response.content
    assert client.get("/staff/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # codes sent while held back are not even checked

    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=1)  # the wait is over
    device.save()
    client.post("/accounts/verify/", {"code": current_code(device)})
    assert client.get("/staff/").status_code == 200


def test_a_first_sign_in_sets_up_the_authenticator(cast, client):
    _password_step(client, "alice@a.test")
    page = client.get("/accounts/enroll/")
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, drawn by the app itself
    device = page.context["secret"] and cast.staff_a.totpdevice_set.get(confirmed=False)
    response = client.post("/accounts/enroll/", {"code": current_code(device), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200


def test_a_wrong_password_gets_one_answer_for_known_and_unknown_accounts(cast, client):
    known = _password_step(client, "alice@a.test", "wrong password")
    unknown = _password_step(client, "nobody@a.test", "wrong password")
    assert known.status_code == unknown.status_code == 200
    assert b"The e-mail address or the password is not right." in known.content
    assert b"The e-mail address or the password is not right." in unknown.content


@override_settings(SIGN_IN_FAILURE_LIMIT=3)
def test_failed_sign_ins_lock_the_account_for_a_while(cast, client):
    for _ in range(3):
        _password_step(client, "alice@a.test", "wrong password")
    response = _password_step(client, "alice@a.test")  # the right password, too late
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    assert _password_step(Client(), "amir@a.test").status_code == 302


def test_the_session_ends_after_thirty_idle_minutes(cast, as_user):
    client = as_user(cast.staff_a)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_activity_keeps_the_session_alive(cast, as_user):
    client = as_user(cast.staff_a)
    session = client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/staff/").status_code == 200
    assert client.session["last_seen"] >= int(time.time()) - 5


def test_disabling_an_account_signs_it_out_everywhere(cast, as_user):
    phone, laptop = as_user(cast.staff_a), as_user(cast.staff_a)
    assert phone.get("/staff/").status_code == 200
    set_active(cast.sysadmin, "system_admin", cast.staff_a, False)
    assert phone.get("/staff/").status_code == 302
    assert laptop.get("/api/v1/me").status_code == 401
    assert _password_step(Client(), "alice@a.test").status_code == 200  # cannot sign in again


def test_sign_out_ends_the_session_and_clears_the_browser(cast, as_user):
    client = as_user(cast.staff_a)
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert "cookies" in response["Clear-Site-Data"]
    assert client.get("/staff/").status_code == 302


def test_sign_out_needs_a_post(cast, as_user):
    assert as_user(cast.staff_a).get("/accounts/sign-out/").status_code == 405


def test_next_cannot_point_to_another_site(cast, client):
    device = confirmed_totp(cast.staff_a)
    _password_step(client, "alice@a.test")
    response = client.post("/accounts/verify/", {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/staff/"


@pytest.mark.parametrize("demo_mode", [False, True])
def test_demo_accounts_work_only_in_demo_mode(cast, demo_mode):
    from safezones.accounts.actions import create_user

    create_user(None, "test", email="demo@demo.test", password=PASSWORD, is_demo=True)
    with override_settings(DEMO_MODE=demo_mode):
        response = _password_step(Client(), "demo@demo.test")
    assert (response.status_code == 302) is demo_mode


def test_passwords_are_hashed_with_argon2_in_production():
    import importlib

    production = importlib.import_module("safezones.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("a long enough password").startswith(f"{Argon2PasswordHasher.algorithm}$argon2id$")


def test_password_change_needs_the_current_one_and_signs_out_other_sessions(cast, as_user):
    client, other = as_user(cast.staff_a), as_user(cast.staff_a)
    wrong = client.post("/accounts/password/", {"current": "nope", "new": "a new long passphrase", "repeat": "x"})
    assert b"The current password is not right." in wrong.content
    new = "another long passphrase 42"
    response = client.post("/accounts/password/", {"current": PASSWORD, "new": new, "repeat": new})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
