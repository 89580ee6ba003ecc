"""Failed sign-in counting per account, kept in the cache (Redis or database).

Keys are a keyed hash of the e-mail address (lib/ratelimit.py), so neither the
cache nor its backups list who tried to sign in; no client address is used.
"""

from django.conf import settings
from django.core.cache import cache

from safezones.lib.ratelimit import bump, key_for

BUCKET = "sign-in-failures"


def _key(email: str) -> str:
    return key_for(BUCKET, email.strip().lower())


def is_locked(email: str) -> bool:
    return int(cache.get(_key(email), 0)) >= settings.SIGN_IN_FAILURE_LIMIT


def note_failure(email: str) -> None:
    bump(_key(email), settings.SIGN_IN_LOCKOUT_SECONDS)


def clear(email: str) -> None:
    cache.delete(_key(email))
