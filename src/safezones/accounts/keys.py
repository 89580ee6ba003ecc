"""Staff members' private keys: made from the password, unlocked at sign-in,
and kept between requests without ever resting on the server in the clear.

After sign-in the private key is encrypted under a random key that lives only
in the browser's `key` cookie; the server's session holds the ciphertext. A
copy of the database or the session store alone opens nothing, and signing
out (or losing the cookie) locks the key again.
"""

import base64

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from safezones.accounts.models import StaffKey, User
from safezones.lib import crypto

SESSION_FIELD = "locked_private_key"
COOKIE = "__Host-key" if settings.HTTPS else "key"


def create_staff_key(user: User, password: str) -> StaffKey:
    pair = crypto.new_key_pair()
    return _store(user, password, pair.private, pair.public)


def rewrap_staff_key(user: User, old_password: str, new_password: str) -> None:
    """On a password change, keep the same key pair under the new password."""
    key = StaffKey.objects.filter(user=user).first()
    if key is None:
        create_staff_key(user, new_password)
        return
    private = _open(key, old_password)
    key.delete()
    _store(user, new_password, private, bytes(key.public_key))


def unlock_for_session(request: HttpRequest, response: HttpResponse, user: User, password: str) -> None:
    """At sign-in: open the private key with the password and hand it to the
    session in the locked form described above."""
    key = StaffKey.objects.filter(user=user).first()
    private = _open(key, password) if key else _open(create_staff_key(user, password), password)
    cookie_key = crypto.new_key()
    request.session[SESSION_FIELD] = _b64(crypto.encrypt(cookie_key, private, _session_context(user)))
    response.set_cookie(
        COOKIE,
        _b64(cookie_key),
        secure=settings.HTTPS,
        httponly=True,
        samesite="Strict",
        path="/",
    )


def unlocked_private_key(request: HttpRequest) -> bytes | None:
    """The signed-in staff member's private key for this request, or None."""
    locked, cookie = request.session.get(SESSION_FIELD), request.COOKIES.get(COOKIE)
    if not locked or not cookie or not request.user.is_authenticated:
        return None
    try:
        return crypto.decrypt(_unb64(cookie), _unb64(locked), _session_context(request.user))
    except (crypto.DecryptionError, ValueError):
        return None


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path="/", samesite="Strict")


def _store(user: User, password: str, private: bytes, public: bytes) -> StaffKey:
    salt, ops, memory = crypto.new_salt(), settings.STAFF_KEY_OPS, settings.STAFF_KEY_MEMORY
    wrapping_key = crypto.key_from_password(password, salt, ops=ops, memory=memory)
    wrapped = crypto.encrypt(wrapping_key, private, _key_context(user))
    return StaffKey.objects.create(
        user=user, public_key=public, wrapped_private_key=wrapped, salt=salt, kdf_ops=ops, kdf_memory=memory
    )


def _open(key: StaffKey, password: str) -> bytes:
    wrapping_key = crypto.key_from_password(password, bytes(key.salt), ops=key.kdf_ops, memory=key.kdf_memory)
    return crypto.decrypt(wrapping_key, bytes(key.wrapped_private_key), _key_context(key.user))


def _key_context(user: User) -> str:
    return f"staff-key:{user.pk}"


def _session_context(user: User) -> str:
    return f"session-key:{user.pk}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))
