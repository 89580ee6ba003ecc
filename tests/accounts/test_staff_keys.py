"""Staff private keys: made from the password, unlocked at sign-in into a form
that needs both the server's session and the browser's cookie."""

import base64
import importlib

import pytest
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory

from safezones.accounts.keys import COOKIE, SESSION_FIELD, create_staff_key, unlocked_private_key
from safezones.accounts.models import StaffKey, User
from safezones.lib import crypto
from tests.conftest import PASSWORD, confirmed_totp


def _sign_in(client: Client, email: str = "alice@a.test", password: str = PASSWORD):
    return client.post("/accounts/sign-in/", {"email": email, "password": password})


def _request_like(client: Client):
    """A request carrying the client's session and cookies, as the next request would."""
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    request.session = client.session
    request.user = get_user(request)
    return request


def _key_pair_matches(private: bytes, public: bytes) -> bool:
    return crypto.unseal(private, crypto.seal(public, b"probe")) == b"probe"


def test_every_new_account_gets_a_key_pair_only_its_password_opens(cast):
    key = StaffKey.objects.get(user=cast.staff_a)
    assert len(bytes(key.public_key)) == 32
    wrapping = crypto.key_from_password(PASSWORD, bytes(key.salt), ops=key.kdf_ops, memory=key.kdf_memory)
    private = crypto.decrypt(wrapping, bytes(key.wrapped_private_key), f"staff-key:{cast.staff_a.pk}")
    assert _key_pair_matches(private, bytes(key.public_key))
    wrong = crypto.key_from_password("not the password", bytes(key.salt), ops=key.kdf_ops, memory=key.kdf_memory)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(wrong, bytes(key.wrapped_private_key), f"staff-key:{cast.staff_a.pk}")


def test_sign_in_unlocks_the_key_for_the_session(cast, client):
    confirmed_totp(cast.staff_a)
    response = _sign_in(client)
    assert response.cookies[COOKIE]["httponly"]
    assert response.cookies[COOKIE]["samesite"] == "Strict"
    private = unlocked_private_key(_request_like(client))
    assert private is not None
    assert _key_pair_matches(private, bytes(cast.staff_a.staff_key.public_key))


def test_neither_the_session_store_nor_the_cookie_alone_holds_the_key(cast, client):
    _sign_in(client)
    private = unlocked_private_key(_request_like(client))
    assert private is not None
    stored = "".join(str(session.get_decoded()) + session.session_data for session in Session.objects.all())
    for form in (private, private.hex().encode(), base64.urlsafe_b64encode(private)):
        assert form.decode("latin-1") not in stored
    # The session without the cookie opens nothing.
    request = _request_like(client)
    request.COOKIES.pop(COOKIE)
    assert unlocked_private_key(request) is None


def test_a_cookie_from_another_session_does_not_fit(cast):
    first, second = Client(), Client()
    _sign_in(first)
    _sign_in(second)
    request = _request_like(first)
    request.COOKIES[COOKIE] = second.cookies[COOKIE].value
    assert unlocked_private_key(request) is None


def test_signing_out_forgets_the_key(cast, client):
    _sign_in(client)
    response = client.post("/accounts/sign-out/")
    assert response.cookies[COOKIE].value == ""
    assert SESSION_FIELD not in client.session


def test_a_password_change_keeps_the_key_pair(cast, as_user):
    public = bytes(cast.staff_a.staff_key.public_key)
    new = "a brand new long passphrase"
    client = as_user(cast.staff_a)
    client.post("/accounts/password/", {"current": PASSWORD, "new": new, "repeat": new})
    key = StaffKey.objects.get(user=cast.staff_a)
    assert bytes(key.public_key) == public
    fresh = Client()
    _sign_in(fresh, password=new)
    private = unlocked_private_key(_request_like(fresh))
    assert private is not None
    assert _key_pair_matches(private, public)


def test_an_account_without_a_key_gets_one_at_sign_in(cast, client):
    StaffKey.objects.filter(user=cast.staff_a).delete()
    _sign_in(client)
    assert StaffKey.objects.filter(user=cast.staff_a).exists()
    assert unlocked_private_key(_request_like(client)) is not None


def test_production_keys_cost_at_least_64_mib(db, settings):
    production = importlib.import_module("safezones.settings")
    assert production.STAFF_KEY_MEMORY >= 64 * 1024 * 1024
    settings.STAFF_KEY_OPS, settings.STAFF_KEY_MEMORY = production.STAFF_KEY_OPS, production.STAFF_KEY_MEMORY
    user = User.objects.create(email="cost@a.test")
    assert create_staff_key(user, PASSWORD).kdf_memory == production.STAFF_KEY_MEMORY
