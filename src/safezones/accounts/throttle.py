"""Failed sign-in counting per account, kept in the cache (Redis or database).

Keys are a keyed hash of the e-mail address, so neither the cache nor its
backups list who tried to sign in; no client address is used or kept.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def _key(email: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256)
    return f"sign-in-failures:{digest.hexdigest()[:40]}"


def is_locked(email: str) -> bool:
    return int(cache.get(_key(email), 0)) >= settings.SIGN_IN_FAILURE_LIMIT


def note_failure(email: str) -> None:
    key = _key(email)
    if not cache.add(key, 1, timeout=settings.SIGN_IN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.SIGN_IN_LOCKOUT_SECONDS)


def clear(email: str) -> None:
    cache.delete(_key(email))
