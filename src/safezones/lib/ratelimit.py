"""Counting attempts without keeping who made them.

An identity (for example a client address) enters the store only as a keyed
digest that lives for the length of the window; it is never written to a
log. Counters live in Redis when it is configured (its INCR is atomic), and
otherwise in a table of their own, where one statement adds an attempt and
reads the count, so two attempts at the same moment are both counted.
"""

import hashlib
import hmac
import secrets
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connection

if TYPE_CHECKING:
    from django.http import HttpRequest


def allow(bucket: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once `limit` attempts fell in the current window."""
    return window(bucket, identity, limit, window_seconds).add() <= limit


@dataclass(frozen=True)
class Window:
    """One identity's count in the current window of a limit. Work that writes
    anyway (filing a case) calls `add` in its own transaction and rolls back
    when the count passes the limit, so the count costs no statement or
    commit of its own."""

    key: str
    limit: int
    seconds: int

    def add(self) -> int:
        return bump(self.key, self.seconds)

    def take_back(self) -> None:
        """Undo an `add` whose work did not commit (refused, or the database
        gone before the commit). A count in the table went back with the
        transaction; one in Redis, which counts apart from it, is taken back
        here, so a family retrying after "not saved" is not counted twice."""
        if _in_redis():
            with suppress(ValueError):  # the window ended meanwhile: nothing to take back
                cache.decr(self.key)


def window(bucket: str, identity: str, limit: int, window_seconds: int) -> Window:
    index = int(time.time()) // window_seconds
    return Window(key_for(bucket, f"{index}:{identity}"), limit, window_seconds)


def key_for(bucket: str, identity: str) -> str:
    """The cache key for an identity: a keyed digest, never the identity itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{bucket}:{identity}".encode(), hashlib.sha256)
    return f"rate:{bucket}:{digest.hexdigest()[:32]}"


def bump(key: str, timeout_seconds: int) -> int:
    """Add one to a counter that starts when first bumped and expires after the timeout."""
    if _in_redis():
        if cache.add(key, 1, timeout=timeout_seconds):
            return 1
        try:
            return int(cache.incr(key))  # Redis keeps the key's expiry
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=timeout_seconds)
            return 1
    return _bump_row(key, timeout_seconds)


def _bump_row(key: str, timeout_seconds: int) -> int:
    from safezones.accounts.models import AttemptCount

    now = int(time.time())
    names = (AttemptCount._meta.db_table, "key", "count", "expires")
    table, key_, count_, expires = map(connection.ops.quote_name, names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {count_}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608 - names, no values
            f"ON CONFLICT ({key_}) DO UPDATE SET "
            f"{count_} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{count_} + 1 END, "
            f"{expires} = CASE WHEN {table}.{expires} <= %s THEN excluded.{expires} ELSE {table}.{expires} END "
            f"RETURNING {count_}",
            [key, now + timeout_seconds, now, now],
        )
        attempts = int(cursor.fetchone()[0])
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        AttemptCount.objects.filter(expires__lte=now).delete()
    return attempts


def count(key: str) -> int:
    """The attempts counted under the key and not yet expired."""
    if _in_redis():
        return int(cache.get(key, 0))
    from safezones.accounts.models import AttemptCount

    found = AttemptCount.objects.filter(key=key, expires__gt=int(time.time())).values_list("count", flat=True).first()
    return found or 0


def reset(key: str) -> None:
    if _in_redis():
        cache.delete(key)
        return
    from safezones.accounts.models import AttemptCount

    AttemptCount.objects.filter(key=key).delete()


# Expired counters are deleted now and then by a bump, so the table stays as
# small as the counters in use.
PURGE_ONE_IN = 200


def _in_redis() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


class TooManyAttemptsError(Exception):
    """Answered 429 with a plain message in the user's language."""


def client_identity(request: "HttpRequest") -> str:
    """What tells one client from another for counting only: the connection's
    address, used as a key for a few minutes and never stored. Behind a proxy
    that hides addresses every client shares one count."""
    return str(request.META.get("REMOTE_ADDR", ""))
