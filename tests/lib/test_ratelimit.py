"""Rate-limit counters: atomic, expiring with their window, keyed by digest."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from safezones.lib import ratelimit


def _in_table() -> None:
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("with Redis configured its keys expire by Redis's clock; the table is checked in the SQLite run")


def test_a_counter_counts_within_its_window_and_starts_again_after_it(db, monkeypatch):
    _in_table()
    now = [1_000_000.0]
    monkeypatch.setattr("safezones.lib.ratelimit.time.time", lambda: now[0])
    key = ratelimit.key_for("test", "someone")
    assert [ratelimit.bump(key, 3600) for _ in range(3)] == [1, 2, 3]
    now[0] += 3000  # a later attempt does not move the window's end
    assert ratelimit.bump(key, 3600) == 4
    assert ratelimit.count(key) == 4
    now[0] += 601
    assert ratelimit.count(key) == 0
    assert ratelimit.bump(key, 3600) == 1
    ratelimit.reset(key)
    assert ratelimit.count(key) == 0


def test_allow_refuses_once_the_limit_is_reached(db):
    answers = [ratelimit.allow("test-allow", "client", 3, 60) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert ratelimit.allow("test-allow", "another client", 3, 60)


@pytest.mark.django_db(transaction=True)
def test_attempts_at_the_same_moment_are_all_counted():
    key = ratelimit.key_for("test-parallel", "client")
    start = threading.Barrier(4)

    def attempts() -> None:
        start.wait()
        try:
            for _ in range(25):
                ratelimit.bump(key, 60)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempts) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ratelimit.count(key) == 100
    ratelimit.reset(key)


def test_expired_counters_are_deleted_by_later_attempts(db, monkeypatch):
    _in_table()
    from safezones.accounts.models import AttemptCount

    now = [2_000_000.0]
    monkeypatch.setattr("safezones.lib.ratelimit.time.time", lambda: now[0])
    for n in range(10):
        ratelimit.bump(ratelimit.key_for("test-purge", str(n)), 60)
    now[0] += 61
    monkeypatch.setattr(ratelimit, "PURGE_ONE_IN", 1)
    ratelimit.bump(ratelimit.key_for("test-purge", "new"), 60)
    assert list(AttemptCount.objects.values_list("count", flat=True)) == [1]
    assert all(key.startswith("rate:test-purge:") for key in AttemptCount.objects.values_list("key", flat=True))
