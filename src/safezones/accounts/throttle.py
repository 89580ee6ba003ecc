"""Failed sign-in counting per account, kept with the other rate-limit counters.

Keys are a keyed hash of the e-mail address (lib/ratelimit.py), so neither the
counters nor their backups list who tried to sign in; no client address is used.
"""

from django.conf import settings

from safezones.lib.ratelimit import bump, count, key_for, reset

BUCKET = "sign-in-failures"


def _key(email: str) -> str:
    return key_for(BUCKET, email.strip().lower())


def is_locked(email: str) -> bool:
    return count(_key(email)) >= settings.SIGN_IN_FAILURE_LIMIT


def note_failure(email: str) -> None:
    bump(_key(email), settings.SIGN_IN_LOCKOUT_SECONDS)


def clear(email: str) -> None:
    reset(_key(email))
