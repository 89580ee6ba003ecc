"""Counting attempts without keeping who made them.

An identity (for example a client address) enters the cache only as a keyed
digest that lives for the length of the window; it is never written to the
database or a log. Counters live in the cache: Redis, or the database table
when Redis is not configured.
"""

import hashlib
import hmac
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

if TYPE_CHECKING:
    from django.http import HttpRequest


def allow(bucket: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once `limit` attempts fell in the current window."""
    window = int(time.time()) // window_seconds
    return bump(key_for(bucket, f"{window}:{identity}"), window_seconds) <= limit


def key_for(bucket: str, identity: str) -> str:
    """The cache key for an identity: a keyed digest, never the identity itself."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{bucket}:{identity}".encode(), hashlib.sha256)
    return f"rate:{bucket}:{digest.hexdigest()[:32]}"


def bump(key: str, timeout_seconds: int) -> int:
    """Add one to a counter that starts when first bumped and expires after the timeout."""
    if cache.add(key, 1, timeout=timeout_seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout_seconds)
        return 1


class TooManyAttemptsError(Exception):
    """Answered 429 with a plain message in the user's language."""


def client_identity(request: "HttpRequest") -> str:
    """What tells one client from another for counting only: the connection's
    address, used as a key for a few minutes and never stored. Behind a proxy
    that hides addresses every client shares one count."""
    return str(request.META.get("REMOTE_ADDR", ""))
